"""Knowledge base under /wissen/. Fixed pages come before ``<slug>/``; their first path
segments are reserved and never given to an article (``services.RESERVED_SLUGS``)."""

from django.urls import path

from amtshilfe.wiki.views import article, attachments, editing, history, index, owners, review

app_name = "wiki"

urlpatterns = [
    path("", index.index, name="index"),
    path("neu/", editing.create, name="create"),
    path("veraltet/", owners.stale, name="stale"),
    path(
        "cluster/<slug:cluster_slug>/defekte-links/",
        owners.broken_links_list,
        name="broken_links",
    ),
    path("<slug:slug>/", article.article, name="article"),
    path("<slug:slug>/bearbeiten/", editing.edit, name="edit"),
    path("<slug:slug>/versionen/", history.history, name="history"),
    path("<slug:slug>/vergleich/", history.diff, name="diff"),
    path(
        "<slug:slug>/versionen/<int:number>/wiederherstellen/",
        history.restore,
        name="restore",
    ),
    path("<slug:slug>/pruefung/", review.review, name="review"),
    path("<slug:slug>/einstellungen/", review.article_settings, name="settings"),
    path("<slug:slug>/archivieren/", review.archive, name="archive"),
    path("<slug:slug>/rueckmeldung/", article.feedback, name="feedback"),
    path("<slug:slug>/aktuell/", article.confirm_current, name="confirm_current"),
    path("<slug:slug>/anhaenge/", attachments.upload, name="attachment_upload"),
    path("<slug:slug>/anhang/<int:pk>/", attachments.download, name="attachment"),
    path(
        "<slug:slug>/anhang/<int:pk>/entfernen/",
        attachments.delete,
        name="attachment_delete",
    ),
]

"""Background work of the knowledge base (django-tasks; tests run it immediately)."""

from __future__ import annotations

from django_tasks import task


@task()
def index_article(article_id: int) -> None:
    from amtshilfe.wiki.search.indexer import index_article as run

    run(article_id)


def enqueue_index_article(article_id: int) -> None:
    index_article.enqueue(article_id)

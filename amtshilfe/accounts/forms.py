from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Benutzername oder Passwort stimmen nicht. Achten Sie auf Groß- und Kleinschreibung."
        ),
        "inactive": _(
            "Dieses Konto ist deaktiviert. Wenden Sie sich an die Netzwerk-Koordination."
        ),
    }


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("Vorname"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nachname"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-Mail"), required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=50, required=False)
    language = forms.ChoiceField(label=_("Sprache der Oberfläche"), choices=settings.LANGUAGES)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Bezeichnung"),
        max_length=100,
        help_text=_("Wofür Sie den Token verwenden, z. B. „Fachverfahren-Anbindung“."),
    )

"""Forms of the account pages."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm

from showclear.web.accounts.access import roles_of, validate_pin
from showclear.web.accounts.models import Membership

ROLE_CHOICES = [
    ("armorer", "Armorer"),
    ("first_ad", "First AD"),
    ("safety_advisor", "Safety advisor"),
    ("performer", "Performer"),
    ("producer", "Producer"),
    ("crew", "Crew"),
    ("investigator", "Investigator"),
]
PERSON_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def _person_id(value: str) -> str:
    """A protocol person id: letters, digits, '_', '.', '-' (1-64)."""
    if not PERSON_ID.match(value):
        raise forms.ValidationError("use 1-64 letters, digits, '_', '.' or '-'")
    return value


class TokenForm(forms.Form):
    """Ask for the second-factor code (authenticator app or a backup code)."""

    token = forms.CharField(
        label="Code",
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )


# Crew read the board; an API token (for devices and integrations) is for the other roles.
TOKEN_ROLES = frozenset(role for role, _ in ROLE_CHOICES) - {"crew"}


def _label(membership: Membership) -> str:
    """A membership as a choice: the production and who the user is in it."""
    return f"{membership.production} (as {membership.person})"


class PinForm(forms.Form):
    """Set the hand-over PIN of one membership."""

    membership = forms.ModelChoiceField(queryset=Membership.objects.none(), empty_label=None)
    pin = forms.CharField(
        max_length=8, widget=forms.PasswordInput(attrs={"inputmode": "numeric"}), label="New PIN"
    )
    pin_again = forms.CharField(max_length=8, widget=forms.PasswordInput, label="PIN again")

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="pin_%s", **kwargs)
        field = self.fields["membership"]
        field.queryset = Membership.objects.filter(user=user)  # type: ignore[attr-defined]
        field.label_from_instance = _label  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pin = data.get("pin", "")
        try:
            validate_pin(pin)
        except forms.ValidationError as exc:
            self.add_error("pin", exc)
        if pin != data.get("pin_again"):
            self.add_error("pin_again", "the two PINs differ")
        return data


class NewTokenForm(forms.Form):
    """Create an API token for one membership whose roles use tokens (not crew only)."""

    membership = forms.ModelChoiceField(queryset=Membership.objects.none(), empty_label=None)
    name = forms.CharField(max_length=100, help_text="What uses it, e.g. 'armory tablet'")

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="token_%s", **kwargs)
        ids = [
            m.pk
            for m in Membership.objects.filter(user=user)
            if TOKEN_ROLES & set(roles_of(m.production, m.person))
        ]
        field = self.fields["membership"]
        field.queryset = Membership.objects.filter(pk__in=ids)  # type: ignore[attr-defined]
        field.label_from_instance = _label  # type: ignore[attr-defined]

    @property
    def offered(self) -> bool:
        """Whether any of the user's memberships may have tokens."""
        return bool(self.fields["membership"].queryset.exists())  # type: ignore[attr-defined]


class InviteForm(forms.Form):
    """A producer's invitation: enroll a person with roles and make a link for them."""

    person = forms.CharField(max_length=64, validators=[_person_id], help_text="Their id here")
    name = forms.CharField(max_length=200)
    roles = forms.MultipleChoiceField(choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple)


class SignUpForm(UserCreationForm):  # type: ignore[type-arg]
    """Create an account while accepting an invitation."""

"""Account pages: sign-in, second factor, PIN, API tokens and invitations."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from showclear.web.accounts import reauth
from showclear.web.accounts.access import execute_as, needs_otp_anywhere, roles_of, set_pin
from showclear.web.accounts.decorators import member_required, verified_if_needed
from showclear.web.accounts.forms import (
    InviteForm,
    NewTokenForm,
    PinForm,
    SignUpForm,
    TokenForm,
)
from showclear.web.accounts.models import ApiToken, Invite, Membership


def _with_next(name: str, target: str) -> str:
    """The URL of an account page, carrying `next` whole (its own query string included)."""
    return f"{resolve_url(name)}?{urlencode({'next': target})}"


def _next(request: HttpRequest, default: str = "/") -> str:
    """The safe `next` target of a request."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else default


class SignInView(LoginView):
    """Username and password (axes counts the failures), then the second factor if needed."""

    template_name = "accounts/login.html"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if needs_otp_anywhere(form.get_user()):
            target = response["Location"]
            return redirect(_with_next("accounts:otp_verify", target))
        return response


def _as_stored(device: StaticDevice, typed: str) -> str:
    """A backup code as stored, whatever the case it was typed in (else as typed)."""
    folded = typed.casefold()
    stored = [t.token for t in device.token_set.all() if t.token.casefold() == folded]
    return stored[0] if stored else typed


def _not_accepted(devices: list[Any], app_code: bool) -> str:
    """Why a code was not accepted: wrong, or asked again too soon after a wrong one."""
    waits = []
    for device in devices:
        allowed, info = device.verify_is_allowed()
        if not allowed and info and info.get("locked_until"):
            waits.append((info["locked_until"] - timezone.now()).total_seconds())
    if waits:
        seconds = max(1, round(max(waits) + 0.5))
        return (
            f"after a wrong code the next try waits {seconds} s: wait, then enter the code "
            "again (a code you entered just now was not checked)"
        )
    if app_code:
        return "that code was not accepted: check the time on your phone, or use a backup code"
    return "that backup code was not accepted: each one works once; the app's code has 6 digits"


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Ask for a code from the authenticator app or a backup code."""
    target = _next(request)
    devices = list(devices_for_user(request.user))
    if not devices:
        return redirect(_with_next("accounts:otp_setup", target))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip().replace(" ", "")
        # A six-digit code is the app's, anything else a backup code: a wrong one of either
        # kind slows down only its own kind, so a backup code still works right after.
        app_code = token.isdigit() and len(token) == 6
        if not any(isinstance(d, TOTPDevice) for d in devices):
            app_code = False
        kind = TOTPDevice if app_code else StaticDevice
        candidates = [d for d in devices if isinstance(d, kind)]
        for device in candidates:
            typed = token if app_code else _as_stored(device, token)
            verified = verify_token(request.user, device.persistent_id, typed)
            if verified is not None:
                otp_login(request, verified)
                reauth.passed(request)
                return HttpResponseRedirect(target)
        form.add_error("token", _not_accepted(candidates, app_code))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": target})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: show its secret and QR code, confirm with one code."""
    target = _next(request)
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(_with_next("accounts:otp_verify", target))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            reauth.passed(request)
            return HttpResponseRedirect(target)
        form.add_error("token", "that code was not accepted: check the time on your phone")
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4)
    secret = base64.b32encode(device.bin_key).decode()
    context = {"form": form, "qr": qr, "secret": secret, "next": target}
    return render(request, "accounts/otp_setup.html", context)


def _memberships(user: Any) -> list[dict[str, Any]]:
    """The user's memberships with their roles, tokens and PIN status."""
    rows = []
    for m in Membership.objects.filter(user=user).prefetch_related("tokens"):
        rows.append(
            {
                "m": m,
                "roles": sorted(roles_of(m.production, m.person)),
                "tokens": [t for t in m.tokens.all() if t.revoked_at is None],
            }
        )
    return rows


@verified_if_needed
def account(request: HttpRequest) -> HttpResponse:
    """The account page: memberships, hand-over PIN, API tokens, second factor."""
    context = {
        "rows": _memberships(request.user),
        "pin_form": PinForm(request.user),
        "token_form": NewTokenForm(request.user),
        "has_totp": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
    }
    return render(request, "accounts/account.html", context)


@require_POST
@verified_if_needed
def set_pin_view(request: HttpRequest) -> HttpResponse:
    """Set the hand-over PIN of one of the user's memberships."""
    form = PinForm(request.user, request.POST)
    if form.is_valid():
        set_pin(form.cleaned_data["membership"], form.cleaned_data["pin"])
        messages.success(request, "PIN set.")
        return redirect("accounts:account")
    context = {
        "rows": _memberships(request.user),
        "pin_form": form,
        "token_form": NewTokenForm(request.user),
    }
    return render(request, "accounts/account.html", context, status=400)


@require_POST
@verified_if_needed
def create_token(request: HttpRequest) -> HttpResponse:
    """Create an API token and show its secret once."""
    form = NewTokenForm(request.user, request.POST)
    if not form.is_valid():
        context = {
            "rows": _memberships(request.user),
            "pin_form": PinForm(request.user),
            "token_form": form,
        }
        return render(request, "accounts/account.html", context, status=400)
    token, secret = ApiToken.issue(form.cleaned_data["membership"], form.cleaned_data["name"])
    return render(request, "accounts/token_created.html", {"token": token, "secret": secret})


@require_POST
@verified_if_needed
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's API tokens."""
    token = get_object_or_404(ApiToken, pk=token_id, membership__user=request.user)
    token.revoke()
    messages.success(request, f"Token {token.prefix}… revoked.")
    return redirect("accounts:account")


@member_required
def invite_new(request: HttpRequest, production: str) -> HttpResponse:
    """A producer enrolls a person with roles and gets an invitation link for them."""
    if "producer" not in request.roles:  # type: ignore[attr-defined]
        raise PermissionDenied("only a producer invites people")
    form = InviteForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "production": production}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cmd = {"cmd": "enroll", "person": data["person"], "name": data["name"]}
        result = execute_as(request, production, {**cmd, "roles": data["roles"]})
        context["result"] = result
        if result.get("ok"):
            invite, secret = Invite.issue(production, data["person"], data["roles"], request.user)
            link = resolve_url("accounts:invite_accept", secret=secret)
            context["link"] = request.build_absolute_uri(link)
            context["invite"] = invite
            context["form"] = InviteForm()
        else:
            return render(request, "accounts/invite_new.html", context, status=409)
    return render(request, "accounts/invite_new.html", context)


def _accept(invite: Invite, user: Any) -> str | None:
    """Bind the invited person to the user; an error message when that can't be done."""
    try:
        with transaction.atomic():
            Membership.objects.create(user=user, production=invite.production, person=invite.person)
            invite.accepted_by = user
            invite.accepted_at = timezone.now()
            invite.save(update_fields=["accepted_by", "accepted_at"])
    except IntegrityError:
        return "you already take part in this production, or this person is already claimed"
    return None


def invite_accept(request: HttpRequest, secret: str) -> HttpResponse:
    """Accept an invitation: sign up (or be signed in) and become the invited person."""
    invite = Invite.find(secret)
    if invite is None or not invite.usable:
        raise Http404("this invitation is not valid (used, expired or unknown)")
    signed_in = request.user.is_authenticated
    form = None if signed_in else SignUpForm(request.POST or None)
    context: dict[str, Any] = {"invite": invite, "form": form, "here": request.path}
    if request.method == "POST":
        user: Any = request.user
        if form is not None:
            if not form.is_valid():
                return render(request, "accounts/invite_accept.html", context, status=400)
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        error = _accept(invite, user)
        if error is None:
            messages.success(request, f"You take part in {invite.production} as {invite.person}.")
            if needs_otp_anywhere(user) and not getattr(request.user, "is_verified", bool)():
                return redirect(_with_next("accounts:otp_verify", "/"))
            return redirect("/")
        context["error"] = error
        return render(request, "accounts/invite_accept.html", context, status=409)
    return render(request, "accounts/invite_accept.html", context)

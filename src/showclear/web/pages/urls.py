"""URLs of the pages."""

from __future__ import annotations

from django.urls import path

from showclear.web.pages import (
    board,
    home,
    incidents,
    inventory,
    investigate,
    labels,
    ledger,
    log,
    lots,
    people,
    plan,
    reports,
    search,
    trace,
    weapons,
    wrap,
)

app_name = "pages"

urlpatterns = [
    path("", home.home, name="home"),
    path("open/", home.open_production, name="open"),
    path("labels.css", labels.labels_css, name="labels_css"),
    path("p/<str:production>/", board.board, name="board"),
    path("p/<str:production>/banner/", board.banner, name="banner"),
    path("p/<str:production>/weapons/<str:weapon>/", weapons.weapon, name="weapon"),
    path("p/<str:production>/lots/<str:lot>/", lots.lot, name="lot"),
    path("p/<str:production>/search/", search.search, name="search"),
    path("p/<str:production>/inventory/", inventory.inventory, name="inventory"),
    path("p/<str:production>/people/", people.people, name="people"),
    path("p/<str:production>/plan/", plan.plan, name="plan"),
    path("p/<str:production>/wrap/", wrap.wrap, name="wrap"),
    path("p/<str:production>/incidents/", incidents.incidents, name="incidents"),
    path(
        "p/<str:production>/incidents/<str:incident>/bundle.zip",
        incidents.incident_bundle,
        name="incident_bundle",
    ),
    path("p/<str:production>/trace/", trace.trace, name="trace"),
    path("p/<str:production>/ledger/", ledger.ledger, name="ledger"),
    path("p/<str:production>/investigate/", investigate.investigate, name="verify_help"),
    path("p/<str:production>/export.jsonl", investigate.export_file, name="export_file"),
    path("p/<str:production>/log/checkpoint", log.checkpoint, name="log_checkpoint"),
    path("p/<str:production>/labels/", labels.labels, name="labels"),
    path("p/<str:production>/reports/", reports.reports, name="reports"),
    path("p/<str:production>/reports/day/", reports.day, name="report_day"),
    path("p/<str:production>/reports/callsheet/", reports.callsheet, name="report_callsheet"),
    path("p/<str:production>/reports/policy/", reports.policy, name="report_policy"),
    path(
        "p/<str:production>/reports/weapons/<str:weapon>/",
        reports.weapon_register,
        name="weapon_register",
    ),
    path("p/<str:production>/reports/lots/<str:lot>/", reports.lot_register, name="lot_register"),
    path("p/<str:production>/labels.pdf", labels.labels_pdf, name="labels_pdf"),
]

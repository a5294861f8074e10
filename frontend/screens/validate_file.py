"""« Valider un fichier »: anyone drops an XML or a PDF and reads the report a deposit would give, without
depositing (no account needed; the route limits checks per address)."""

from __future__ import annotations

from reactpy import component, html, use_state

import shared.i18n_reports  # noqa: F401
from frontend.components.upload import UploadField
from frontend.context import use_session
from frontend.screens.lots import anomaly_item

LAYERS = ("xsd", "en16931", "fr")


@component
def ValidateFileScreen():
    session = use_session()
    t, lang = session.t, session.lang
    report, set_report = use_state(None)
    return html.div(
        {"class_name": "screen"},
        html.h1(t("validate_file.title")),
        html.section(
            {"class_name": "card form", "id": "validate-form"},
            html.p({"class_name": "hint"}, t("validate_file.intro")),
            UploadField("/api/validation", input_id="validate-file", label=t("validate_file.file"),
                        accept=".xml,.pdf,application/xml,text/xml,application/pdf", on_done=set_report,
                        on_start=lambda _info: set_report(None)),
        ),
        ValidationReportView(report, lang, t) if report else "",
    )


def ValidationReportView(report: dict, lang: str, t):
    verdict = "accepted" if report["accepted"] else "refused"
    profile = report.get("profile")
    facts = [f"{report['name']} — {report.get('syntax') or '?'}"]
    if profile:
        facts.append(t("validate_file.profile", profile=profile) + (
            t("validate_file.profile_xmp", profile=report["profile_xmp"]) if report.get("profile_xmp") else ""))
    sections = []
    for layer in report["layers"]:
        items = [anomaly_item(i, a, lang) for i, a in enumerate(layer["anomalies"])]
        sections.append(html.section(
            {"class_name": "card", "id": f"layer-{layer['layer']}", "data-status": layer["status"], "key": layer["layer"]},
            html.h3(t(f"validate_file.layer.{layer['layer']}"), " — ", t(f"validate_file.status.{layer['status']}")),
            html.p({"class_name": "hint"}, t("validate_file.warnings_only")) if not layer["blocking"] else "",
            html.ul({"class_name": "anomalies"}, *items) if items else ""))
    return html.div(
        {"id": "validation-report", "data-verdict": verdict},
        html.section(
            {"class_name": "card"},
            html.h2({"id": "validation-verdict", "role": "status"}, t(f"validate_file.{verdict}")),
            html.p(" · ".join(facts)),
            html.ul({"class_name": "anomalies", "id": "file-anomalies"},
                    *[anomaly_item(i, a, lang) for i, a in enumerate(report["anomalies"])]) if report["anomalies"] else ""),
        *sections,
    )

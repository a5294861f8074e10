"""An entity attack sent to the anonymous « Valider un fichier » route is refused as unreadable, nothing
read (its per-address limit is tested in test_rate_limits.py)."""

from __future__ import annotations

async def test_an_entity_attack_is_refused_as_unreadable(anonymous):
    xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">&x;'
           b'</rsm:CrossIndustryInvoice>')
    report = (await anonymous.post("/api/validation", content=xxe)).json()
    assert [a["code"] for a in report["anomalies"]] == ["xml_illisible"] and "root:" not in str(report)

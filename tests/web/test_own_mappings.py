"""The user's own category mappings: listed, changed and undone, with lines and totals following."""

from __future__ import annotations

import io

from core.models import LineRow, Mapping, Report
from tests.helpers import page_token, report_bytes, upload


def upload_unknown(client):
    data = report_bytes("settlement_v2_de_worked_example.txt").replace(
        b"other-transaction\t\t\t\t\t\tother-transaction\tCurrent Reserve Amount",
        b"NewThing\t\t\t\t\t\tNewType\tSomething new")
    upload(client, (io.BytesIO(data), "unknown.txt"))


def map_to(client, category):
    return client.post("/settings/mappings", data={
        "csrf_token": page_token(client, "/settings/mappings"), "transaction_type": "NewThing",
        "amount_type": "NewType", "amount_description": "Something new", "category": category})


def test_list_change_and_undo_a_mapping(logged_in):
    upload_unknown(logged_in)
    report = Report.get()
    assert report.unmapped_count == 1
    map_to(logged_in, "reserve_held")
    page = logged_in.get("/settings/mappings").get_data(as_text=True)
    own = page.split('id="own-mappings"')[1]
    assert "Something new" in own and 'value="reserve_held" selected' in own

    map_to(logged_in, "other_fee")  # change
    assert Mapping.get().category == "other_fee"
    assert LineRow.get(LineRow.amount_description == "Something new").category == "other_fee"
    assert "other_fee" in Report.get().category_totals

    logged_in.post(f"/batches/report/{report.id}/build", data={"csrf_token": page_token(logged_in, "/batches/")})
    assert Report.get().batch_status == "created"  # built with the mapping
    mapping = Mapping.get()
    response = logged_in.post(f"/settings/mappings/{mapping.id}/undo",
                              data={"csrf_token": page_token(logged_in, "/settings/mappings")})
    assert response.status_code == 303
    assert Mapping.select().count() == 0
    assert LineRow.get(LineRow.amount_description == "Something new").category == "unmapped"
    report = Report.get()
    assert report.unmapped_count == 1 and report.batch_status == "outdated"
    assert "You have not mapped any combination yet." in logged_in.get("/settings/mappings").get_data(as_text=True)
    assert logged_in.post(f"/settings/mappings/{mapping.id}/undo",
                          data={"csrf_token": page_token(logged_in, "/settings/mappings")}).status_code == 404

"""The first-run checklist: its steps, and hiding it."""

from __future__ import annotations

from core import checklist
from tests.helpers import page_token, upload


def test_steps_follow_what_was_done_and_the_list_can_be_hidden(logged_in):
    assert [s.done for s in checklist.open_steps()] == [False, False, False]
    upload(logged_in, "settlement_v2_de.txt")
    assert [s.done for s in checklist.open_steps()] == [False, False, True]
    logged_in.post("/checklist/confirm-numbers", data={"csrf_token": page_token(logged_in)})
    assert [s.done for s in checklist.open_steps()] == [False, False, True]  # settings never saved
    logged_in.post("/settings/", data={"csrf_token": page_token(logged_in, "/settings/"),
                                       "beraternummer": "4711", "mandantennummer": "12"})
    assert [s.done for s in checklist.open_steps()] == [True, False, True]
    assert [(s.count, s.of) for s in checklist.open_steps()][1] == (0, 1)
    logged_in.post("/marketplaces/profile", data={"csrf_token": page_token(logged_in, "/marketplaces/"),
                                                  "marketplace": "Amazon.de", "profile": "home"})
    assert [s.done for s in checklist.steps()] == [True, True, True] and checklist.open_steps() is None
    logged_in.post("/marketplaces/profile", data={"csrf_token": page_token(logged_in, "/marketplaces/"),
                                                  "marketplace": "Amazon.de", "profile": "default"})
    assert "Before the first batch" in logged_in.get("/overview").get_data(as_text=True)
    logged_in.post("/checklist/dismiss", data={"csrf_token": page_token(logged_in)})
    assert checklist.open_steps() is None
    assert "Before the first batch" not in logged_in.get("/overview").get_data(as_text=True)

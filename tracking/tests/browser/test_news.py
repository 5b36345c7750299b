"""News in the browser: a district office writes, its province approves, the public reads."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from news.models import News
from tracking.tests.browser.helpers import menu, messages, person, sign_in, sign_out, th

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "อำเภอเมืองเชียงใหม่จัดอบรมการบันทึกปริมาณงาน"


def test_district_news_is_approved_by_the_province_and_published(page, make_user):
    author = person(make_user, "district_recorder", Role.DISTRICT_RECORDER, "DLA-D5001", first_name="อนุชา")
    approver = person(make_user, "province_confirmer", Role.PROVINCE_CONFIRMER, "DLA-P50")

    # --- the district office writes and sends it -------------------------------------------------------
    sign_in(page, "district_recorder")
    menu(page, "News")
    page.get_by_role("link", name=th("My news")).click()
    page.get_by_role("link", name=th("Write news")).click()
    page.get_by_label(th("title")).fill(TITLE)
    page.get_by_label(th("summary")).fill("สถอ.เมืองเชียงใหม่อบรมเจ้าหน้าที่ 30 คน")
    page.get_by_label(th("category")).select_option(label=th("District local administration news"))
    # Plain text: the hint says how to make paragraphs, lists and bold; nobody types HTML.
    expect(page.locator("form p.help").filter(has_text="**")).to_have_count(1)
    expect(page.locator("form em, form strong")).to_have_count(0)
    page.get_by_label(th("text")).fill(
        "การอบรมจัดขึ้นที่ห้องประชุมอำเภอ **ครบทุกตำบล**\n\nหัวข้อการอบรม\n- การบันทึกปริมาณงาน\n- การตรวจสอบสถานะ"
    )
    page.get_by_role("button", name=th("Save draft")).click()
    assert th("Saved as a draft. Submit it when it is ready.") in messages(page)
    item = News.objects.get(title=TITLE)
    assert (item.status, item.author, item.unit.code) == ("draft", author, "DLA-D5001")

    page.get_by_role("button", name=th("Submit")).click()
    assert th("Sent to the province for approval.") in messages(page)
    item.refresh_from_db()
    assert item.status == "pending"
    sign_out(page)

    # Not public yet.
    page.goto("/news/")
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)

    # --- the province approves it ------------------------------------------------------------------------
    sign_in(page, "province_confirmer")
    # Nothing links to the approval queue yet: the approver opens it by its address.
    page.goto("/news/queue/")
    expect(page.get_by_role("heading", level=1)).to_have_text(th("News waiting for approval"))
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name=th("Approve and publish")).click()
    assert th("Published.") in messages(page)
    item.refresh_from_db()
    assert (item.status, item.decided_by) == ("published", approver)
    assert item.publish_date is not None
    # The approver corrects a word of the published item; it stays published, with its history.
    page.goto(f"/news/{item.pk}/")
    page.get_by_role("link", name=th("Correct")).click()
    page.get_by_label(th("text")).fill(
        "การอบรมจัดขึ้นที่หอประชุมอำเภอ **ครบทุกตำบล**\n\nหัวข้อการอบรม\n- การบันทึกปริมาณงาน\n- การตรวจสอบสถานะ"
    )
    page.get_by_role("button", name=th("Save correction")).click()
    assert th("Correction saved: the published item shows it now.") in messages(page)
    page.get_by_role("link", name=th("Change history")).click()
    expect(page.locator(".history-entry").first).to_contain_text("หอประชุมอำเภอ")
    sign_out(page)

    # --- anyone reads it on the public list ----------------------------------------------------------
    menu(page, "News")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".news-body strong")).to_have_text("ครบทุกตำบล")
    expect(page.locator(".news-body p")).to_have_count(2)
    expect(page.locator(".news-body li")).to_have_count(2)
    expect(page.locator(".news-body")).to_contain_text("หอประชุมอำเภอ")

"""Demo data of the workload flow, loaded by `manage.py seed_demo` (never in production).

Two fiscal years of the sample questionnaire: FY 2569, closed, with Chiang Mai
and Chiang Rai recorded and confirmed; FY 2570, open now, with Chiang Mai's
offices at every stage (complete, partly done, not started) so the province
review has something to show, and Mueang Chiang Mai half done for the demo
district recorder to finish.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from workload.demo_questions import ASPECTS, TYPICAL
from workload.models import Answer, Aspect, CoveredDistrict, Question, Questionnaire, Submission
from workload.services import digest_of, open_submissions, snapshot_of

YEARS = {
    2569: (dt.date(2025, 11, 1), dt.date(2026, 1, 31)),
    2570: (dt.date(2026, 11, 1), dt.date(2027, 1, 31)),
}
STREETS = ["ถนนโชตนา", "ถนนพหลโยธิน", "ถนนเจริญราษฎร์", "ถนนศรีดอนชัย", "ถนนราชดำเนิน"]
FIRST = ["สมศักดิ์", "ประภาพร", "วีระพงษ์", "จันทร์เพ็ญ", "ณัฐพล", "กัญญารัตน์", "สุทธิพงษ์", "ปวีณา", "อำนาจ", "ศศิธร"]
LAST = ["ใจมา", "คำปัน", "ศรีวงค์", "อินต๊ะ", "ปัญญาวงศ์", "ทาวงศ์", "บุญเรือง", "สุภาวงศ์", "ไชยมงคล", "แก้วดวงดี"]


def load(stdout):
    rng = random.Random(2570)  # noqa: S311 - demo figures, not secrets  # nosec B311
    with transaction.atomic():
        for fy, (opens_on, closes_on) in YEARS.items():
            questionnaire = _questionnaire(fy, opens_on, closes_on)
            open_submissions(questionnaire)
        _fill_2569(Questionnaire.objects.get(fiscal_year=2569), rng)
        _fill_2570(Questionnaire.objects.get(fiscal_year=2570), rng)
        load_public_pages(stdout)
    stdout.write(
        "Workload: sample questionnaires for FY 2569 (closed) and FY 2570 (open), "
        "district data in Chiang Mai and Chiang Rai."
    )


def _questionnaire(fy, opens_on, closes_on):
    questionnaire, created = Questionnaire.objects.get_or_create(
        fiscal_year=fy, defaults={"opens_on": opens_on, "closes_on": closes_on, "is_sample": True}
    )
    if created:
        for number, title, questions in ASPECTS:
            aspect = Aspect.objects.create(questionnaire=questionnaire, number=number, title=title)
            Question.objects.bulk_create(
                Question(aspect=aspect, order=order, text=text, unit=unit)
                for order, (text, unit) in enumerate(questions, start=1)
            )
    return questionnaire


def _answers(submission, questions, rng, share=1.0):
    """Answers near the typical figures for a share of the questions (in question order)."""
    if Answer.objects.filter(submission=submission).exists():
        return
    count = round(len(questions) * share)
    rows = []
    for question in questions[:count]:
        volume, days, hours = TYPICAL[question.text]
        volume = max(0, round(volume * rng.uniform(0.6, 1.4)))
        rows.append(
            Answer(submission=submission, question=question, volume=volume, days=Decimal(days), hours=hours)
        )
    Answer.objects.bulk_create(rows)


def _contact(submission, rng):
    if submission.contact_name:
        return
    office = submission.office
    submission.office_address = (
        f"ที่ว่าการอำเภอ{office.district.name_th} {rng.choice(STREETS)} จังหวัด{office.province.name_th}"
    )
    submission.office_phone = f"053-{rng.randint(100000, 999999)}"
    submission.contact_name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    submission.contact_mobile = f"08{rng.randint(10000000, 99999999)}"
    submission.contact_email = f"sto.{office.district.code}@demo.invalid"
    submission.save()
    CoveredDistrict.objects.get_or_create(submission=submission, district=office.district)


def _confirm(submission, confirmer, when):
    if submission.confirmed_at:
        return
    snapshot = snapshot_of(submission)
    Submission.objects.filter(pk=submission.pk).update(
        snapshot=snapshot, digest=digest_of(snapshot), confirmed_at=when, confirmed_by=confirmer
    )


def _ordered_questions(questionnaire):
    return list(
        Question.objects.filter(aspect__questionnaire=questionnaire).order_by("aspect__number", "order")
    )


def _offices_of(questionnaire, province_code):
    return list(
        Submission.objects.filter(questionnaire=questionnaire, office__province__code=province_code)
        .select_related("office__district", "office__province", "questionnaire")
        .order_by("office__code")
    )


def _fill_2569(questionnaire, rng):
    questions = _ordered_questions(questionnaire)
    for province_code, confirmer_name in (("50", "province_confirmer"), ("57", "province_confirmer_b")):
        confirmer = User.objects.filter(username=confirmer_name).first()
        for index, submission in enumerate(_offices_of(questionnaire, province_code)):
            _contact(submission, rng)
            _answers(submission, questions, rng)
            if confirmer:
                when = timezone.make_aware(dt.datetime(2026, 1, 5 + index % 20, 10, 30))
                _confirm(submission, confirmer, when)


def _fill_2570(questionnaire, rng):
    questions = _ordered_questions(questionnaire)
    for index, submission in enumerate(_offices_of(questionnaire, "50")):
        if submission.office.code == "DLA-D5001":
            # The demo recorder's own office: half done, left to finish by hand.
            _contact(submission, rng)
            _answers(submission, questions, rng, share=0.55)
            continue
        stage = index % 4
        if stage == 3:
            continue  # not started
        _contact(submission, rng)
        _answers(submission, questions, rng, share=1.0 if stage < 2 else 0.4)
    for index, submission in enumerate(_offices_of(questionnaire, "57")):
        if index % 3 == 0:
            _contact(submission, rng)
            _answers(submission, questions, rng)
    _cover(questionnaire, "DLA-D5005", "DLA-D5008")
    _outliers(questionnaire, questions)


def _cover(questionnaire, coverer_code, covered_code):
    """One office records a neighbouring district as well (อำเภอที่รับผิดชอบ): the neighbour's office is
    then shown as recorded together with it."""
    coverer = Submission.objects.get(questionnaire=questionnaire, office__code=coverer_code)
    covered = Submission.objects.select_related("office").get(
        questionnaire=questionnaire, office__code=covered_code
    )
    CoveredDistrict.objects.get_or_create(submission=coverer, district_id=covered.office.district_id)


def _outliers(questionnaire, questions):
    """Two answers for the province review's outlier flags (workload.outliers): one Chiang Mai
    office typed ten times the usual volume of the first question, and a fifth of last year's
    volume of a later one."""
    submission = _offices_of(questionnaire, "50")[1]
    first = questions[0]
    usual = TYPICAL[first.text][0]
    if Answer.objects.filter(submission=submission, question=first, volume__gte=usual * 5).exists():
        return  # loaded before
    Answer.objects.filter(submission=submission, question=first).update(volume=usual * 10)
    # Last year's record of the office first, then its answers: one index lookup each (a join of
    # every answer with its submission was planned badly while the demo loads in one transaction).
    before = Submission.objects.filter(
        questionnaire__fiscal_year=questionnaire.fiscal_year - 1, office_id=submission.office_id
    ).values_list("pk", flat=True)
    last_year = {
        (a.question.aspect.number, a.question.order): a.volume
        for a in Answer.objects.filter(submission_id__in=list(before)).select_related("question__aspect")
    }
    for question in questions[1:]:
        before = last_year.get((question.aspect.number, question.order), 0)
        if before >= 15:
            Answer.objects.filter(submission=submission, question=question).update(volume=before // 5)
            return


LINKS = [
    ("laws", "ราชกิจจานุเบกษา", "https://ratchakitcha.soc.go.th/", "ค้นหากฎหมาย ระเบียบ และประกาศ"),
    ("laws", "ระบบกฎหมายท้องถิ่น กรมส่งเสริมการปกครองท้องถิ่น", "https://www.dla.go.th/", ""),
    ("strategy", "ยุทธศาสตร์ชาติ 20 ปี", "https://www.nesdc.go.th/", "สำนักงานสภาพัฒนาการเศรษฐกิจและสังคมแห่งชาติ"),
    ("plans", "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ", "https://www.nesdc.go.th/", ""),
    ("standards", "มาตรฐานการบริการสาธารณะขององค์กรปกครองส่วนท้องถิ่น", "https://www.dla.go.th/", ""),
    ("manuals", "คู่มือการใช้งานระบบบันทึกข้อมูลปริมาณงานท้องถิ่นอำเภอ", "https://www.dla.go.th/", ""),
    ("mooc", "Local MOOC ระบบการเรียนรู้ออนไลน์", "https://www.dla.go.th/", "ทดสอบความรู้ต่อการปฏิบัติงาน"),
]

REGISTRY = [
    ("50", "นายสมเกียรติ ปัญญาคำ", "ท้องถิ่นอำเภอเมืองเชียงใหม่", "0812345601", ["เมืองเชียงใหม่", "สารภี"]),
    ("50", "นางสาวพิมพ์ชนก ใจบุญ", "ท้องถิ่นอำเภอแม่ริม", "0812345602", ["แม่ริม", "แม่แตง"]),
    ("57", "นายวีระ ศรีสุข", "ท้องถิ่นอำเภอเมืองเชียงราย", "0812345603", ["เมืองเชียงราย"]),
]


def load_public_pages(stdout):
    from accounts.models import District, Province
    from workload.models import KnowledgeLink, StaffMember

    if not KnowledgeLink.objects.exists():
        KnowledgeLink.objects.bulk_create(
            KnowledgeLink(category=c, title=t, url=u, note=n, order=i) for i, (c, t, u, n) in enumerate(LINKS)
        )
    for code, name, position, phone, covered in REGISTRY:
        province = Province.objects.get(code=code)
        entry, created = StaffMember.objects.get_or_create(
            province=province, name=name, defaults={"position": position, "phone": phone}
        )
        if created:
            entry.districts.set(District.objects.filter(province=province, name_th__in=covered))
    stdout.write("Coordination centre: toolkit links and registry entries.")

"""Demo ALRO projects for the current fiscal year, loaded by `manage.py seed_demo`.

Drawn from the agency's lines of work: land allocation, infrastructure in land
reform areas, farmer development, and the Land Reform Fund's loans and land
purchase. Units: central bureaus and provincial offices in six provinces,
including Chiang Mai and Chiang Rai where the demo users sit.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from accounts.models import OrgUnit
from projects.models import Activity, ActivityUnit, BudgetAllocation, Indicator, MonthlyPlan, Project, Step

FY = 2570
# Last fiscal year too, so reports have a whole year of results to show.
YEARS = (2569, 2570)

# code, money source, name, owner, strategy, objective, activities:
#   (name, output unit, steps [(name, weight)], indicator (name, unit, target),
#    units [(unit code, yearly output, {category: amount})])
PROJECTS = [
    (
        "P70-01", "budget_act", "โครงการจัดที่ดินทำกินให้ชุมชนตามนโยบายรัฐบาล (คทช.)", "ALRO-SJT",
        "ยุทธศาสตร์ที่ 1 การจัดที่ดินและกระจายการถือครองที่ดินอย่างเป็นธรรม",
        "จัดที่ดินทำกินให้แก่ผู้ยากไร้และไม่มีที่ดินทำกินในเขตปฏิรูปที่ดิน พร้อมออกหนังสืออนุญาตให้เข้าทำประโยชน์",
        [
            ("สำรวจรังวัดและจัดทำแผนที่แปลงที่ดิน", "ไร่",
             [("เตรียมเอกสารและประสานพื้นที่", 20), ("สำรวจรังวัดภาคสนาม", 50), ("จัดทำแผนที่และรูปแปลง", 30)],
             ("พื้นที่ที่สำรวจรังวัดแล้วเสร็จ", "ไร่", "12000"),
             [("ALRO-P50", 4000, {"operating": "1850000.00"}), ("ALRO-P57", 3500, {"operating": "1620000.00"}),
              ("ALRO-P30", 4500, {"operating": "2075000.00"})]),
            ("คัดเลือกเกษตรกรและจัดคนเข้าทำประโยชน์", "ราย",
             [("ประกาศและรับคำขอ", 30), ("ตรวจสอบคุณสมบัติ", 40), ("จัดคนเข้าทำประโยชน์", 30)],
             ("เกษตรกรที่ได้รับการจัดที่ดิน", "ราย", "900"),
             [("ALRO-P50", 300, {"operating": "420000.00"}), ("ALRO-P57", 250, {"operating": "350000.00"}),
              ("ALRO-P30", 350, {"operating": "490000.00"})]),
        ],
    ),
    (
        "P70-02", "budget_act", "โครงการพัฒนาโครงสร้างพื้นฐานในเขตปฏิรูปที่ดิน", "ALRO-SPP",
        "ยุทธศาสตร์ที่ 2 การพัฒนาพื้นที่ปฏิรูปที่ดินให้เป็นแหล่งผลิตที่มีศักยภาพ",
        "ก่อสร้างถนน แหล่งน้ำ และระบบไฟฟ้าพลังงานแสงอาทิตย์เพื่อการเกษตรในเขตปฏิรูปที่ดิน",
        [
            ("ก่อสร้างถนนลูกรังเพื่อการเกษตร", "กิโลเมตร",
             [("สำรวจออกแบบ", 15), ("จัดซื้อจัดจ้าง", 20), ("ก่อสร้าง", 55), ("ตรวจรับงาน", 10)],
             ("ถนนที่ก่อสร้างแล้วเสร็จ", "กิโลเมตร", "42"),
             [("ALRO-P40", 15, {"investment": "9750000.00"}), ("ALRO-P65", 12, {"investment": "7800000.00"}),
              ("ALRO-P80", 15, {"investment": "9750000.00", "operating": "250000.00"})]),
            ("ขุดสระน้ำในไร่นาและพัฒนาแหล่งน้ำ", "แห่ง",
             [("คัดเลือกแปลงเกษตรกร", 20), ("จัดจ้างขุดสระ", 60), ("ตรวจรับและส่งมอบ", 20)],
             ("แหล่งน้ำที่พัฒนาแล้วเสร็จ", "แห่ง", "640"),
             [("ALRO-P40", 300, {"investment": "6900000.00"}), ("ALRO-P50", 340, {"investment": "7820000.00"})]),
        ],
    ),
    (
        "P70-03", "budget_act", "โครงการพัฒนาศักยภาพเกษตรกรในเขตปฏิรูปที่ดิน", "ALRO-SKS",
        "ยุทธศาสตร์ที่ 3 การพัฒนาคุณภาพชีวิตเกษตรกรและสถาบันเกษตรกร",
        "อบรมและส่งเสริมเกษตรกรให้ทำการเกษตรตามแนวเกษตรทฤษฎีใหม่และเกษตรมูลค่าสูง",
        [
            ("อบรมเกษตรกรด้านการผลิตและการตลาด", "ราย",
             [("จัดทำหลักสูตร", 20), ("ดำเนินการอบรม", 60), ("ติดตามประเมินผล", 20)],
             ("เกษตรกรที่ผ่านการอบรม", "ราย", "1500"),
             [("ALRO-P50", 500, {"operating": "750000.00"}), ("ALRO-P57", 400, {"operating": "600000.00"}),
              ("ALRO-SKS", 600, {"operating": "900000.00", "subsidy": "300000.00"}),
              ("ALRO-SPP", 150, {"operating": "225000.00"})]),
        ],
    ),
    (
        "F70-01", "land_reform_fund", "โครงการสนับสนุนสินเชื่อเพื่อการพัฒนาอาชีพเกษตรกรรม (กองทุนการปฏิรูปที่ดินเพื่อเกษตรกรรม)",
        "ALRO-SBT", "แผนการใช้จ่ายเงินกองทุนการปฏิรูปที่ดินเพื่อเกษตรกรรม",
        "ให้กู้ยืมเงินกองทุนแก่เกษตรกรและสถาบันเกษตรกรเพื่อพัฒนาอาชีพและปรับปรุงที่ดิน",
        [
            ("ให้กู้ยืมเงินแก่เกษตรกรรายบุคคล", "ราย",
             [("รับคำขอกู้และตรวจสอบ", 25), ("พิจารณาอนุมัติ", 25), ("จ่ายเงินกู้", 35), ("ติดตามการใช้เงินกู้", 15)],
             ("เกษตรกรที่ได้รับสินเชื่อ", "ราย", "820"),
             [("ALRO-P50", 300, {"other": "30000000.00"}), ("ALRO-P57", 220, {"other": "22000000.00"}),
              ("ALRO-P40", 300, {"other": "30000000.00"})]),
            ("ติดตามเร่งรัดหนี้เงินกองทุน", "ราย",
             [("จัดทำทะเบียนลูกหนี้", 30), ("ติดตามเร่งรัด", 70)],
             ("ลูกหนี้ที่ได้รับการติดตาม", "ราย", "2400"),
             [("ALRO-P50", 1200, {"operating": "180000.00"}), ("ALRO-P57", 1200, {"operating": "180000.00"})]),
        ],
    ),
    (
        "F70-02", "land_reform_fund", "โครงการจัดซื้อที่ดินเพื่อนำมาปฏิรูปที่ดิน", "ALRO-SBT",
        "แผนการใช้จ่ายเงินกองทุนการปฏิรูปที่ดินเพื่อเกษตรกรรม",
        "จัดซื้อที่ดินของเอกชนที่เจ้าของยินยอมขายเพื่อนำมาจัดให้เกษตรกรผู้ไร้ที่ทำกิน",
        [
            ("จัดซื้อที่ดินและจัดให้เกษตรกร", "ไร่",
             [("สำรวจและประเมินราคา", 30), ("ดำเนินการจัดซื้อ", 50), ("จัดให้เกษตรกร", 20)],
             ("ที่ดินที่จัดซื้อ", "ไร่", "600"),
             [("ALRO-P65", 300, {"investment": "36000000.00"}), ("ALRO-P80", 300, {"investment": "36000000.00"}),
              ("ALRO-SJT", 100, {"investment": "12000000.00"})]),
        ],
    ),
]  # fmt: skip

# Money of FY 2569 reserved to finish work in FY 2570 (เงินกันเหลื่อมปี):
# (project code, activity order, unit code) → (budget category, amount).
CARRIED_OVER = {
    ("P70-02", 1, "ALRO-P40"): ("investment", "2350000.00"),
    ("P70-02", 2, "ALRO-P50"): ("investment", "940000.00"),
    ("P70-01", 1, "ALRO-P57"): ("operating", "185000.00"),
}

# How a year's work spreads over October … September.
MONTH_SHARES = [4, 6, 8, 9, 10, 10, 10, 10, 9, 9, 8, 7]


def load(stdout):
    units = {u.code: u for u in OrgUnit.objects.filter(agency="alro")}
    created = 0
    with transaction.atomic():
        for fy, (code, source, name, owner, strategy, objective, activities) in (
            (fy, row) for fy in YEARS for row in PROJECTS
        ):
            code = code.replace("70-", f"{fy % 100}-")
            if Project.objects.filter(fiscal_year=fy, code=code).exists():
                continue
            status = Project.Status.COMPLETED if fy < FY else Project.Status.ACTIVE
            project = Project.objects.create(
                fiscal_year=fy, funding_source=source, code=code, name=name, owner_unit=units[owner],
                strategy=strategy, objective=objective, start_date=dt.date(fy - 544, 10, 1),
                end_date=dt.date(fy - 543, 9, 30), status=status,
            )  # fmt: skip
            for order, (activity_name, output_unit, steps, indicator, assigned) in enumerate(
                activities, start=1
            ):
                activity = Activity.objects.create(project=project, order=order, name=activity_name)
                Step.objects.bulk_create(
                    Step(activity=activity, order=i, name=step, weight=Decimal(w))
                    for i, (step, w) in enumerate(steps, start=1)
                )
                Indicator.objects.create(
                    activity=activity,
                    name=indicator[0],
                    unit_of_measure=indicator[1],
                    target=Decimal(indicator[2]),
                )
                for unit_code, yearly_output, budget in assigned:
                    au = ActivityUnit.objects.create(
                        activity=activity, unit=units[unit_code], output_unit=output_unit
                    )
                    total = sum(Decimal(v) for v in budget.values())
                    MonthlyPlan.objects.bulk_create(_spread(au, Decimal(yearly_output), total))
                    BudgetAllocation.objects.bulk_create(
                        BudgetAllocation(activity_unit=au, category=category, amount=Decimal(amount))
                        for category, amount in budget.items()
                    )
                    carried = CARRIED_OVER.get((code, order, unit_code)) if fy == FY else None
                    if carried:
                        BudgetAllocation.objects.create(
                            activity_unit=au,
                            category=carried[0],
                            carried_over=True,
                            amount=Decimal(carried[1]),
                        )
            created += 1
    if created:
        stdout.write(f"Projects: {created} demo ALRO projects for fiscal years {YEARS[0]} and {YEARS[1]}.")
    else:
        stdout.write(
            f"Projects: the demo ALRO projects of fiscal years {YEARS[0]} and {YEARS[1]} are already there."
        )


def _spread(activity_unit, output, spending):
    """Twelve monthly plans whose sums are exactly the yearly output and spending."""
    plans, quantity_left, spending_left = [], output, spending
    for month, share in enumerate(MONTH_SHARES, start=1):
        if month == 12:
            quantity, money = quantity_left, spending_left
        else:
            quantity = (output * share / 100).quantize(Decimal("1"))
            money = (spending * share / 100).quantize(Decimal("0.01"))
        quantity_left -= quantity
        spending_left -= money
        plans.append(MonthlyPlan(activity_unit=activity_unit, month=month, quantity=quantity, spending=money))
    return plans

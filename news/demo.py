"""Demo news, loaded by `manage.py seed_demo`; never in production.

Written through the real services (plain-text bodies, the approval flow), by the demo users of
accounts.seed_demo: ALRO and DLA news published directly, a district office's news approved
by its province, and one still waiting, so the approver's queue is not empty.
"""

import datetime as dt

from accounts.models import User
from news import services
from news.models import News

# (author, category, title, summary, body, publish date, what happens after writing it)
ITEMS = [
    (
        "admin_all", News.Category.PRESS,
        "ส.ป.ก. เร่งรัดการเบิกจ่ายงบประมาณไตรมาสแรก ปีงบประมาณ 2570",
        "ผู้บริหาร ส.ป.ก. ประชุมติดตามผลการเบิกจ่ายงบประมาณของสำนักงานการปฏิรูปที่ดินจังหวัดทั่วประเทศ",
        "สำนักงานการปฏิรูปที่ดินเพื่อเกษตรกรรม (ส.ป.ก.) จัดประชุมติดตามผลการดำเนินงานและการเบิกจ่าย"
        "งบประมาณไตรมาสที่ 1 ของปีงบประมาณ พ.ศ. 2570 ร่วมกับสำนักงานการปฏิรูปที่ดินจังหวัด\n\n"
        "ที่ประชุมกำชับให้ทุกหน่วยงานรายงานผลผ่านระบบติดตามผลการดำเนินงานภายในวันที่ 5 ของทุกเดือน "
        "เพื่อให้การเบิกจ่ายเป็นไปตามเป้าหมายของรัฐบาล",
        dt.date(2026, 11, 10), "publish",
    ),
    (
        "admin_all", News.Category.ACTIVITY,
        "มอบหนังสืออนุญาตให้เข้าทำประโยชน์ในเขตปฏิรูปที่ดิน (ส.ป.ก. 4-01) จังหวัดเชียงใหม่",
        "เกษตรกร 350 ราย ได้รับหนังสืออนุญาตให้เข้าทำประโยชน์ในที่ดินเพื่อเกษตรกรรม",
        "สำนักงานการปฏิรูปที่ดินจังหวัดเชียงใหม่ จัดพิธีมอบหนังสืออนุญาตให้เข้าทำประโยชน์ในเขตปฏิรูปที่ดิน "
        "(ส.ป.ก. 4-01) แก่เกษตรกร 350 ราย ในพื้นที่อำเภอแม่แตงและอำเภอสันทราย",
        dt.date(2026, 11, 18), "publish",
    ),
    (
        "dla_admin", News.Category.ANNOUNCEMENT,
        "แจ้งกำหนดการบันทึกปริมาณงานสำนักงานท้องถิ่นอำเภอ ปีงบประมาณ 2570",
        "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอบันทึกข้อมูลได้ตั้งแต่วันที่ 1 พฤศจิกายน 2569 "
        "ถึงวันที่ 31 มกราคม 2570",
        "กรมส่งเสริมการปกครองท้องถิ่นขอให้สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอทุกแห่งบันทึกปริมาณงาน "
        "ทั้ง 8 ด้าน ให้ครบถ้วนภายในวันที่ 31 มกราคม 2570 และให้สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด"
        "ตรวจสอบและยืนยันข้อมูลภายในวันที่ 15 กุมภาพันธ์ 2570\n\n"
        "สิ่งที่ต้องดำเนินการ\n"
        "- บันทึกข้อมูลติดต่อและอำเภอที่รับผิดชอบ\n"
        "- บันทึกปริมาณงาน **ทั้ง 8 ด้าน** ให้ครบทุกข้อ (ไม่มีงานให้กรอก 0)\n"
        "- ตรวจสอบหน้าสถานะการบันทึกข้อมูลก่อนแจ้งจังหวัด",
        dt.date(2026, 11, 1), "publish",
    ),
    (
        "district_recorder", News.Category.LOCAL,
        "สถอ.เมืองเชียงใหม่ ประชุมประจำเดือนองค์กรปกครองส่วนท้องถิ่น",
        "ประชุมปลัดองค์กรปกครองส่วนท้องถิ่นในเขตอำเภอเมืองเชียงใหม่ ประจำเดือนพฤศจิกายน 2569",
        "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองเชียงใหม่ จัดประชุมปลัดองค์กรปกครองส่วนท้องถิ่น "
        "เพื่อชี้แจงแนวทางการจัดทำแผนพัฒนาท้องถิ่นและการบันทึกข้อมูลในระบบ",
        dt.date(2026, 11, 20), "approve",
    ),
    (
        "district_recorder", News.Category.LOCAL,
        "สถอ.เมืองเชียงใหม่ อบรมการใช้งานระบบบันทึกปริมาณงานแก่เจ้าหน้าที่",
        "อบรมเจ้าหน้าที่ผู้รับผิดชอบการบันทึกปริมาณงานทั้ง 8 ด้าน",
        "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองเชียงใหม่ จัดอบรมเจ้าหน้าที่ผู้รับผิดชอบ"
        "การบันทึกปริมาณงาน เพื่อให้บันทึกข้อมูลได้ถูกต้องครบถ้วนก่อนจังหวัดยืนยัน",
        None, "submit",
    ),
]  # fmt: skip


def load(stdout):
    users = {
        u.username: u
        for u in User.objects.filter(username__in={"province_confirmer", *[i[0] for i in ITEMS]})
    }
    made = 0
    for author, category, title, summary, body, published, then in ITEMS:
        if News.objects.filter(title=title).exists():
            continue
        fields = {"title": title, "summary": summary, "body": body, "category": category}
        news = services.news_save(by=users[author], news=None, fields={**fields, "publish_date": published})
        news = services.news_submit(by=users[author], news=news)
        if then == "approve":
            services.news_decide(by=users["province_confirmer"], news=news, approve=True)
        made += 1
    if made:
        stdout.write(f"News: {made} of the {len(ITEMS)} demo items added.")
    else:
        stdout.write(f"News: the {len(ITEMS)} demo items are already there.")

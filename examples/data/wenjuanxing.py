#!/usr/bin/env python3
"""Writes a synthetic questionnaire export in the shape Wenjuanxing (问卷星) downloads it.

    python3 examples/data/wenjuanxing.py

rewrites, byte for byte (Python 3 standard library only, fixed seed 20261129):

- wenjuanxing_export.csv      UTF-8 with a byte-order mark, CRLF line ends (as the site's
                              "按文本下载" CSV)
- wenjuanxing_export_gbk.csv  the same rows in GBK (what Excel writes on Chinese Windows)
- wenjuanxing_export.xlsx     the same rows as a workbook (the site's default download),
                              sheet "Sheet1", written with zipfile and inline strings

The layout that reads them is wenjuanxing_layout.json (written by hand).
"""
import io
import pathlib
import random
import zipfile
from xml.sax.saxutils import escape

HERE = pathlib.Path(__file__).resolve().parent
SEED = 20261129

QUESTIONS = [
    "2、您对客服首次回复速度的满意度",
    "3、您对问题解决速度的满意度",
    "4、您对处理结果反馈及时性的满意度",
    "5、客服是否耐心、热情、礼貌",
    "6、客服是否积极主动、认真解决问题",
    "7、客服是否尊重和理解您",
    "8、客服是否具备解决问题的知识和技能",
    "9、客服是否熟练使用售后系统和工具",
    "10、客服是否给出有价值的建议",
    "11、您对售后响应速度的总体满意度",
    "12、您对售后服务态度的总体满意度",
    "13、您对售后专业性的总体满意度",
    "14、您对问题解决情况的满意度",
]
HEADER = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、您评价的店铺"] + QUESTIONS
# Wenjuanxing's five-point labels, best first (非常满意 is an alias of the crate's 很满意)
LABELS = ["非常满意", "满意", "一般", "不满意", "非常不满意"]
SOURCES = [("手机提交", "直接访问"), ("微信", "N/A"), ("链接", "直接访问")]
CITIES = ["上海-上海", "浙江-杭州", "广东-深圳", "北京-北京", "四川-成都"]


def rows():
    rng = random.Random(SEED)
    shops = [f"店铺{c}" for c in "ABCDEFGHJKLM"]
    quality = {s: rng.gauss(0.0, 0.45) for s in shops}
    quality["店铺D"] = -1.1  # a weak shop
    quality["店铺H"] = 0.8  # a strong one
    out = []
    n = 0
    for shop in shops:
        for _ in range(rng.randint(20, 45)):
            n += 1
            day, sec = rng.randint(1, 28), rng.randint(0, 86399)
            source, detail = rng.choice(SOURCES)
            lenient = rng.gauss(0.0, 0.3)
            answers = []
            for q in range(len(QUESTIONS)):
                r = rng.random()
                if q == 2 and r < 0.08:
                    answers.append("(跳过)")  # skipped by the questionnaire's logic
                    continue
                if r < 0.03:
                    answers.append("")  # left empty
                    continue
                x = round(rng.gauss(3.9 + quality[shop] + lenient, 0.85))
                answers.append(LABELS[5 - max(1, min(5, x))])
            out.append(
                [
                    str(n),
                    f"2026/11/{day:02d} {sec // 3600:02d}:{sec % 3600 // 60:02d}:{sec % 60:02d}",
                    f"{rng.randint(40, 400)}秒",
                    source,
                    detail,
                    f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}({rng.choice(CITIES)})",
                    shop,
                ]
                + answers
            )
    return out


def csv_text(table):
    def cell(c):
        return f'"{c}"' if any(ch in c for ch in ',"\n') else c

    return "".join(",".join(cell(c) for c in row) + "\r\n" for row in table)


def col_name(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def xlsx_bytes(table):
    sheet = io.StringIO()
    sheet.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
    sheet.write('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    for r, row in enumerate(table, start=1):
        sheet.write(f'<row r="{r}">')
        for c, value in enumerate(row):
            ref = f"{col_name(c)}{r}"
            if value == "":
                continue
            if value.isdigit() and c == 0 and r > 1:
                sheet.write(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                sheet.write(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        sheet.write("</row>")
    sheet.write("</sheetData></worksheet>")
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": sheet.getvalue(),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 29, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def main():
    table = [HEADER] + rows()
    text = csv_text(table)
    (HERE / "wenjuanxing_export.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (HERE / "wenjuanxing_export_gbk.csv").write_bytes(text.encode("gbk"))
    (HERE / "wenjuanxing_export.xlsx").write_bytes(xlsx_bytes(table))
    print(f"{len(table) - 1} responses written")


if __name__ == "__main__":
    main()

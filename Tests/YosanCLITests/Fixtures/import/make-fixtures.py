#!/usr/bin/env python3
"""Writes the text fixtures of the import tests (python3 Tests/YosanCLITests/Fixtures/import/make-fixtures.py).

mof-b-cp932.csv: a table laid out like 財務省's 予算書 CSV of 一般会計 歳出 (`DL…11001b.csv`: 所管, 組織,
項名, 目名, the year's 要求額 and 前年度予算額 in 千円, 比較増△減額), with made-up figures, saved in
CP932 with CRLF as Excel on a Japanese system saves "CSV". unicode-text.txt: the same kind of table
as Excel's "Unicode text": UTF-16LE with a byte order mark, tab-separated.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

mof = [
    ["所管", "組織", "項コード", "項名", "目名", "令和8年度要求額(千円)", "前年度予算額(千円)", "比較増△減額(千円)"],
    ["厚生労働省", "厚生労働本省", "11", "医療提供体制確保対策費", "医療提供体制推進事業費補助金", "2130000", "2000000", "130000"],
    ["厚生労働省", "厚生労働本省", "11", "医療提供体制確保対策費", "医療施設運営費等補助金", "1880500", "1900000", "-19500"],
    ["厚生労働省", "厚生労働本省", "12", "感染症対策費", "感染症予防事業費等負担金", "15370", "15370", "0"],
]
with open(os.path.join(HERE, "mof-b-cp932.csv"), "wb") as f:
    f.write("".join(",".join(row) + "\r\n" for row in mof).encode("cp932"))

unicode_text = [
    ["事業名", "担当課", "要求額", "前年度"],
    ["電子処方箋の有効活用のための環境整備事業", "医薬局総務課", "1.2億円", "なし"],
    ["ドクターヘリ導入促進事業", "医政局地域医療計画課", "100億円", "95億円"],
]
with open(os.path.join(HERE, "unicode-text.txt"), "wb") as f:
    f.write("\ufeff".encode("utf-16-le") + "".join("\t".join(row) + "\r\n" for row in unicode_text).encode("utf-16-le"))

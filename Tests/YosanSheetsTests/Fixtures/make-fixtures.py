#!/usr/bin/env python3
"""Writes the ZIP and XLSX fixtures of YosanSheetsTests with programs other than Yosan.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install openpyxl
    /tmp/venv/bin/python Tests/YosanSheetsTests/Fixtures/make-fixtures.py

needs openpyxl (PyPI), `soffice` (Debian: libreoffice-calc-nogui) for the LibreOffice fixtures, and a
built `yosan` (swift build) for the two that start from Yosan's own export.
The outputs are committed; README.md beside this script says what each one holds.
"""
import datetime
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
LOREM = ("予算 = 1億円, 事業 x \"t\" { 要求額 = 7.9億円 }\n" * 200).encode("utf-8")


class Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then writes data descriptors (general-purpose flag bit 3)."""

    def __init__(self):
        self.buffer = bytearray()

    def writable(self):
        return True

    def write(self, data):
        self.buffer += data
        return len(data)


def zips():
    folder = os.path.join(HERE, "zip")
    with zipfile.ZipFile(os.path.join(folder, "python-deflate.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", LOREM)
        z.writestr("folder/b.txt", "短いテキスト\n".encode("utf-8"))
        z.writestr("empty.txt", b"")
    with zipfile.ZipFile(os.path.join(folder, "python-stored.zip"), "w", zipfile.ZIP_STORED) as z:
        z.writestr("a.txt", LOREM)
    stream = Unseekable()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", LOREM)
        with z.open("streamed.txt", "w") as f:
            f.write(b"written through a stream\n" * 50)
    with open(os.path.join(folder, "python-data-descriptor.zip"), "wb") as f:
        f.write(stream.buffer)
    with zipfile.ZipFile(os.path.join(folder, "python-zip64.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("a.txt", "w", force_zip64=True) as f:
            f.write(LOREM)
    with zipfile.ZipFile(os.path.join(folder, "bomb-ratio.zip"), "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("xl/worksheets/sheet1.xml", bytes(8 << 20))
    with zipfile.ZipFile(os.path.join(folder, "python-bzip2.zip"), "w", zipfile.ZIP_BZIP2) as z:
        z.writestr("a.txt", LOREM)


def budget_workbook(path):
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "概算要求"
    ws["A1"] = "令和7年度 概算要求 主要事項"
    ws["A1"].font = Font(bold=True)
    ws["A2"] = "（単位：百万円）"
    ws["F2"] = "作成日"
    ws["G2"] = datetime.date(2024, 8, 30)
    ws["G2"].number_format = "yyyy/m/d"
    ws.append(["事業名", "担当課", "要求額", "前年度予算額", "種別", "補助率", "備考"])
    rows = [
        ("電子カルテ情報等分析関連サービス構築事業", "医政局特定医薬品開発支援・医療情報担当参事官室", 620, None, "新規", None, "委託"),
        ("介護関連データ利活用に係る基盤構築事業", "老健局老人保健課", 70.5, 150, None, 0.5, "補助先には特別区を含む"),
        ("ドクターヘリ導入促進事業", "医政局地域医療計画課", 10000, 9500, "拡充", "1/2", None),
        ("地域医療介護総合確保基金", "医政局地域医療計画課", 1029.25, 1029.25, None, None, "A & B <C> \"引用\""),
    ]
    for row in rows:
        ws.append(list(row))
    for r in range(4, 4 + len(rows)):
        ws.cell(row=r, column=3).number_format = "#,##0.0"
        ws.cell(row=r, column=4).number_format = "#,##0.0"
        ws.cell(row=r, column=6).number_format = "0%"
    ws["H3"] = "確認"
    ws["H4"] = True
    ws["H5"] = False
    notes = wb.create_sheet("メモ")
    notes["A1"] = "改行を含む\nセル"
    notes["A2"] = "=1+1"
    notes["B1"] = 0.30000000000000004
    notes["B2"] = 1.5e20
    notes["B3"] = -0.000125
    hidden = wb.create_sheet("非表示")
    hidden["A1"] = "hidden"
    hidden.sheet_state = "hidden"
    wb.save(path)


def libreoffice(source, target):
    """Opens `source` in LibreOffice and saves it as `target` (.xlsx)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("make-fixtures: soffice (LibreOffice) is needed for " + os.path.basename(target))
    with tempfile.TemporaryDirectory() as work:
        name = os.path.basename(target)
        shutil.copy(source, os.path.join(work, name))
        out = os.path.join(work, "out")
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{work}/profile", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
             "--outdir", out, os.path.join(work, name)],
            check=True, stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(out, name), target)


def xlsxs():
    import openpyxl

    folder = os.path.join(HERE, "xlsx")
    budget_workbook(os.path.join(folder, "openpyxl-budget.xlsx"))
    libreoffice(os.path.join(folder, "openpyxl-budget.xlsx"), os.path.join(folder, "libreoffice-budget.xlsx"))
    # Yosan's own export of a sample, opened and saved again by openpyxl and by LibreOffice: what
    # comes back after someone edits the workbook in a spreadsheet program.
    root = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
    yosan = next(p for p in (os.path.join(root, ".build", c, "yosan") for c in ("release", "debug")) if os.path.exists(p))
    with tempfile.TemporaryDirectory() as work:
        exported = os.path.join(work, "own.xlsx")
        subprocess.run([yosan, "export", "--format", "xlsx", "-o", exported, "Samples/budgets/r7-research-innovation.yosan"], check=True, cwd=root)
        wb = openpyxl.load_workbook(exported)
        wb.save(os.path.join(folder, "own-openpyxl.xlsx"))
        libreoffice(exported, os.path.join(folder, "own-libreoffice.xlsx"))


if __name__ == "__main__":
    zips()
    xlsxs()

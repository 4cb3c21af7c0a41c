"""Checks of the browser test (report-check.sh): the DOM Chromium dumped after the report's
script ran, and the screenshot. Standard library only."""
import re
import struct
import sys
import zlib


def fail(message):
    print("browser test: " + message, file=sys.stderr)
    sys.exit(1)


def check_dom(path):
    dom = open(path, encoding="utf-8").read()
    if 'data-ready="true"' not in dom:
        fail("the report's script did not run (no data-ready on <html>)")
    checks = {
        "title": "<title>予算レポート Samples/budgets</title>",
        "heading": '<h1 id="report-title">予算レポート Samples/budgets</h1>',
        "request total": ">10,289.11億円<",
        "previous total": ">9,743.98億円<",
        "change": ">+545.13億円<",
        "check status": "0 errors, 0 warnings",
        "an item title": "電子カルテ情報等分析関連サービス構築事業",
        "a decrease": "△",
    }
    for name, needle in checks.items():
        if needle not in dom:
            fail("the DOM has no %s (%s)" % (name, needle))
    svgs = re.findall(r"<svg class=\"(\w+)\"", dom)
    if svgs != ["treemap", "waterfall"]:
        fail("expected the treemap and waterfall SVGs, found %s" % svgs)
    treemap = dom.split('<svg class="treemap"')[1].split("</svg>")[0]
    rects = treemap.count("<rect")
    if rects < 50:
        fail("the treemap has %d rectangles" % rects)
    rows = dom.split('<table class="items sortable">')[1].split("</table>")[0].count("<tr")
    if rows != 139:
        fail("the table has %d rows, expected 138 items and a header" % rows)
    # The script drew a card per item (138 items: every card at once), with breakdowns and marks.
    cards = dom.count('<div class="card-item" id="item-')
    if cards != 138:
        fail("the script drew %d cards, expected 138" % cards)
    if '<table class="breakdown"><caption>' not in dom or '<span class="sum ok" title="' not in dom:
        fail("the cards have no breakdown with its sum mark")
    print("browser test: DOM ok (treemap %d rectangles, table %d rows, %d cards)" % (rects, rows - 1, cards))


def check_large_dom(path):
    """A report beyond 500 items: the table's rows wait as text and the script draws them all."""
    dom = open(path, encoding="utf-8").read()
    if 'data-ready="true"' not in dom:
        fail("large report: the script did not run")
    if "data-pending=" in dom or "data-complete-ms=" not in dom:
        fail("large report: the script did not draw every row of the table")
    items = int(re.search(r'<div id="cards" data-count="(\d+)"', dom).group(1))
    rows = dom.split('<table class="items sortable">')[1].split("</table>")[0].count("<tr")
    if rows != items + 1:
        fail("large report: the table has %d rows, expected %d items and a header" % (rows - 1, items))
    if '<a href="#item-%d">' % items not in dom:
        fail("large report: no row for the last item")
    print("browser test: large report ok (%d rows drawn by the script)" % items)


def png_pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("the screenshot is not a PNG")
    offset, idat, width, height, kind = 8, b"", 0, 0, 0
    while offset < len(data):
        length, tag = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if tag == b"IHDR":
            width, height, depth, kind = struct.unpack(">IIBB", body[:10])
            if depth != 8 or kind not in (2, 6):
                fail("unexpected PNG format (depth %d, colour type %d)" % (depth, kind))
        elif tag == b"IDAT":
            idat += body
        offset += 12 + length
    channels = 3 if kind == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind_of_filter = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind_of_filter == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind_of_filter == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind_of_filter == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 0xFF
            elif kind_of_filter == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def check_screenshot(path):
    width, height, channels, rows = png_pixels(path)
    colours = set()
    ink = 0
    total = 0
    for row in rows[::4]:
        for x in range(0, width * channels, channels * 4):
            pixel = row[x:x + 3]
            total += 1
            if pixel != b"\xff\xff\xff":
                ink += 1
            colours.add(pixel)
    share = ink / total
    if share < 0.05 or len(colours) < 20:
        fail("the screenshot looks blank (%.1f%% non-white, %d colours)" % (100 * share, len(colours)))
    print("browser test: screenshot ok (%dx%d, %.1f%% non-white, %d colours)" % (width, height, 100 * share, len(colours)))


check_dom(sys.argv[1])
check_screenshot(sys.argv[2])
if len(sys.argv) > 3:
    check_large_dom(sys.argv[3])

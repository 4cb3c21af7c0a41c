"""How fast pages open in headless Chromium (report-benchmark.sh): one browser, driven through
the DevTools protocol on a pipe (--remote-debugging-pipe, so no port and no network), opens each
page RUNS times, each time in a new tab, and reads the page's own clock (milliseconds from the
start of navigation):

  paint     the first contentful paint (what the reader first sees),
  ready     the end of the report's script at load (data-ready-ms: every panel is there, the
            table's first rows are drawn, sorting and the cards work),
  complete  every row of the table drawn (data-complete-ms; the same as ready when the script
            draws them all at load),
  load      the load event.

Prints the median of each, and every run. Standard library only.

  python3 report_timing.py RUNS PAGE...
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


class Browser:
    def __init__(self):
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if not chromium:
            sys.exit("report_timing: chromium is not installed (apt-get install chromium fonts-noto-cjk)")
        self.profile = tempfile.mkdtemp()
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def pipes():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                 "--window-size=1280,900", "--remote-debugging-pipe", "--user-data-dir=" + self.profile]
        self.process = subprocess.Popen([chromium] + flags + ["about:blank"], pass_fds=(3, 4), preexec_fn=pipes,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        return self.next_id

    def receive(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                sys.exit("report_timing: chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=None):
        wanted = self.send(method, params, session)
        while True:
            message = self.receive()
            if message.get("id") == wanted:
                if "error" in message:
                    sys.exit("report_timing: %s: %s" % (method, message["error"]))
                return message["result"]
            self.events.append(message)

    def evaluate(self, expression, session):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
        return result["result"].get("value")

    def open(self, url, timeout=120):
        """Opens url in a new tab; returns (paint, ready, complete, load) in ms from navigation."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        # In front and focused, as a page the reader opens is (a tab in the background has its
        # timers slowed to one a second and no animation frames).
        self.call("Page.bringToFront", None, session)
        self.call("Emulation.setFocusEmulationEnabled", {"enabled": True}, session)
        self.call("Page.navigate", {"url": url}, session)
        probe = """(function () {
          var d = document.documentElement.dataset, p = performance.getEntriesByType('paint'),
              n = performance.getEntriesByType('navigation')[0];
          var f = p.filter(function (e) { return e.name === 'first-contentful-paint'; })[0];
          return [f ? Math.round(f.startTime) : null, d.readyMs ? +d.readyMs : null,
                  d.completeMs ? +d.completeMs : (d.readyMs && !d.pending ? +d.readyMs : null),
                  n && n.loadEventEnd > 0 ? Math.round(n.loadEventEnd) : null];
        })()"""
        deadline = time.time() + timeout
        values = None
        while time.time() < deadline:
            values = self.evaluate(probe, session)
            if values and all(v is not None for v in values):
                break
            time.sleep(0.05)
        self.call("Target.closeTarget", {"targetId": target})
        return values

    def close(self):
        try:
            self.call("Browser.close")
        except SystemExit:
            pass
        self.process.wait(timeout=30)
        shutil.rmtree(self.profile, ignore_errors=True)


def median(values):
    values = sorted(v for v in values if v is not None)
    return values[(len(values) - 1) // 2] if values else None


def main():
    runs = int(sys.argv[1])
    browser = Browser()
    try:
        for page in sys.argv[2:]:
            results = [browser.open("file://" + os.path.abspath(page)) for _ in range(runs)]
            columns = list(zip(*results))
            names = ["paint", "ready", "complete", "load"]
            summary = ", ".join("%s %s ms" % (name, median(column)) for name, column in zip(names, columns))
            print("%s: %s (medians of %d)" % (os.path.basename(page), summary, runs))
            for name, column in zip(names, columns):
                print("  %-8s %s" % (name, " ".join(str(v) for v in column)))
    finally:
        browser.close()


main()

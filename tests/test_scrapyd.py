"""Scrapyd: build the egg with scrapyd-client, deploy to a real scrapyd on 127.0.0.1, schedule a
crawl of the test farm through Scrapyd's HTTP API, and find the reports in the archive."""

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
import sqlite_utils

from farm import start_farm, stop_farm

from conftest import ROOT, free_port, wait_for_http

BIN = os.path.dirname(sys.executable)
pytestmark = pytest.mark.skipif(not os.path.exists(os.path.join(BIN, "scrapyd")), reason="scrapyd is a test dependency")


def _post(url, fields, files=None):
    if files:
        boundary = "nianbao-boundary"
        body = b""
        for name, value in fields.items():
            body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, (filename, data) in files.items():
            body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(url, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    else:
        request = urllib.request.Request(url, urllib.parse.urlencode(fields, doseq=True).encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_deploy_and_schedule_a_crawl_through_scrapyd(tmp_path):
    port = free_port()
    (tmp_path / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {tmp_path}/eggs\nlogs_dir = {tmp_path}/logs\n"
        f"dbs_dir = {tmp_path}/dbs\nitems_dir =\njobs_to_keep = 5\nmax_proc = 2\n")
    server = subprocess.Popen([os.path.join(BIN, "scrapyd")], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sites = start_farm(["a6"])
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/daemonstatus.json")
        egg = tmp_path / "nianbao.egg"
        subprocess.run([os.path.join(BIN, "scrapyd-deploy"), f"--build-egg={egg}"], cwd=ROOT, check=True,
                       capture_output=True, timeout=180)
        added = _post(base + "/addversion.json", {"project": "nianbao", "version": "1"}, {"egg": ("nianbao.egg", egg.read_bytes())})
        assert added["status"] == "ok", added
        db_path = tmp_path / "archive.db"
        job = _post(base + "/schedule.json", {
            "project": "nianbao", "spider": "reports", "start_urls": sites["a6"].base + "/",
            "setting": [f"NIANBAO_DB={db_path}", "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False"]})
        assert job["status"] == "ok", job
        deadline = time.time() + 180
        while time.time() < deadline:
            jobs = json.loads(urllib.request.urlopen(base + "/listjobs.json?project=nianbao", timeout=10).read())
            if any(j["id"] == job["jobid"] for j in jobs["finished"]):
                break
            time.sleep(1)
        else:
            pytest.fail("the scheduled crawl did not finish")
        assert sqlite_utils.Database(db_path)["reports"].count == len(sites["a6"].manifest.reports)
    finally:
        stop_farm(sites)
        server.terminate()
        server.wait(10)

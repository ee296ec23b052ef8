"""Licensing benchmark: submit-application throughput with two 1 MB uploads, 16 concurrent clients.

    .venv/bin/python -m bench.licensing_submit [--clients 16] [--duration 20] [--workers N]

gunicorn (sync workers) serves Praja on a free 127.0.0.1 port with a fresh SQLite database (and,
with DATABASE_URL set to PostgreSQL, also a fresh `<name>_bench_lic_submit` database): Kota
Bandung, a published permit type with two mandatory PDF requirements, and one verified applicant
with an API token per client. Each client, until `--duration` runs out (it finishes the
application it is on), walks the applicant's API path:

    POST applications/            start a draft (sent twice with one idempotency key: a double click)
    POST applications/<id>/documents/  x2   two distinct 1 MB PDFs (multipart)
    POST applications/<id>/submit/          (sent twice: a double click)

It prints submitted applications per second and then checks the database: as many submitted
applications as the clients completed, per applicant too, no draft left behind, one tracking
number each, two current documents each — no lost and no duplicated application.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench._server import BenchServer, fresh_postgres_url
from bench.licensing_tracking import run_seed, start

MEGABYTE = 1024 * 1024
MARKER = b"UNIQUE-MARKER-0123456789ABCDEF01"  # 32 bytes, replaced per upload


def one_megabyte_pdf() -> bytes:
    """A valid one-page PDF of ~1 MB: its content stream is padded with a comment."""
    padding = b"% " + MARKER + b"\n" + (b"% " + b"x" * 97 + b"\n") * (MEGABYTE // 100)
    content = b"BT /F1 12 Tf 72 720 Td (Desain reklame) Tj ET\n" + padding
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@dataclass
class ClientResult:
    submitted: list[str] = field(default_factory=list)  # tracking numbers
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class ApplicantClient:
    def __init__(self, base_url: str, tenant: str, token: str, pdf: bytes) -> None:
        parts = urlsplit(base_url)
        assert parts.hostname == "127.0.0.1", "benchmarks only ever request the loopback address"
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        self.prefix = f"/t/{tenant}/api/v1/licensing"
        self.headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
        self.pdf = pdf

    def request(
        self, method: str, path: str, body: bytes = b"", content_type: str = "application/json"
    ) -> dict:
        self.connection.request(
            method, self.prefix + path, body=body, headers={**self.headers, "Content-Type": content_type}
        )
        response = self.connection.getresponse()
        data = response.read()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path} -> {response.status}: {data[:300]!r}")
        return json.loads(data)

    def upload(self, application_id: int, code: str) -> None:
        boundary = uuid.uuid4().hex
        pdf = self.pdf.replace(MARKER, uuid.uuid4().hex.upper().encode())  # distinct bytes, same size
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="requirement_code"\r\n\r\n{code}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{code}.pdf"\r\n'
                f"Content-Type: application/pdf\r\n\r\n"
            ).encode()
            + pdf
            + f"\r\n--{boundary}--\r\n".encode()
        )
        self.request(
            "POST",
            f"/applications/{application_id}/documents/",
            body,
            f"multipart/form-data; boundary={boundary}",
        )

    def apply_once(self) -> str:
        start = json.dumps(
            {
                "permit_type": "reklame",
                "idempotency_key": str(uuid.uuid4()),
                "form_data": {"lokasi": "Jl. Asia Afrika No. 1"},
            }
        ).encode()
        first = self.request("POST", "/applications/", start)
        again = self.request("POST", "/applications/", start)  # a double click on "Ajukan"
        if again["id"] != first["id"]:
            raise RuntimeError(f"double start made two drafts: {first['id']} and {again['id']}")
        for code in ("ktp", "desain"):
            self.upload(first["id"], code)
        submitted = self.request("POST", f"/applications/{first['id']}/submit/", b"{}")
        repeated = self.request("POST", f"/applications/{first['id']}/submit/", b"{}")
        if repeated.get("tracking_number") != submitted.get("tracking_number"):
            raise RuntimeError("double submit changed the tracking number")
        return submitted["tracking_number"]


def run_clients(
    base_url: str, seed: dict, *, clients: int, duration: float
) -> tuple[list[ClientResult], float]:
    pdf = one_megabyte_pdf()
    results = [ClientResult() for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)
    deadline: list[float] = []

    def work(index: int) -> None:
        client = ApplicantClient(base_url, seed["tenant"], seed["tokens"][index], pdf)
        barrier.wait()
        while time.perf_counter() < deadline[0]:
            began = time.perf_counter()
            try:
                results[index].submitted.append(client.apply_once())
                results[index].seconds.append(time.perf_counter() - began)
            except Exception as error:  # reported, and the count check below catches any loss
                results[index].errors.append(str(error))
                client.connection.close()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    deadline.append(time.perf_counter() + duration)
    started = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def verify(server: BenchServer, seed: dict, results: list[ClientResult]) -> list[str]:
    counts = run_seed(server, "count")
    expected = sum(len(result.submitted) for result in results)
    numbers = [number for result in results for number in result.submitted]
    problems = []
    if counts["submitted"] != expected:
        problems.append(
            f"{counts['submitted']} submitted applications in the database, clients completed {expected}"
        )
    if counts["applications"] != counts["submitted"]:
        problems.append(f"{counts['applications'] - counts['submitted']} drafts left behind")
    if counts["distinct_tracking_numbers"] != counts["tracking_numbers"] or len(set(numbers)) != len(numbers):
        problems.append("a tracking number was given twice")
    if counts["documents"] != 2 * counts["applications"]:
        problems.append(f"{counts['documents']} current documents for {counts['applications']} applications")
    for index, result in enumerate(results):
        email = f"pemohon{index}@bench.praja.id"
        if counts["per_applicant"].get(email, 0) != len(result.submitted):
            problems.append(
                f"{email}: {counts['per_applicant'].get(email, 0)} in the database, "
                f"{len(result.submitted)} completed"
            )
    return problems


def run_database(database: str, url: str | None, *, clients: int, duration: float, workers: int) -> str:
    server = BenchServer(database=database, database_url=url, workers=workers)
    try:
        seed = run_seed(server, "submit", str(clients))
        print(
            f"\n[{database}] migrated in {seed['migrate_seconds']} s, seeded in {seed['seed_seconds']} s; "
            f"gunicorn {workers} sync workers; {clients} clients for {duration:g} s",
            flush=True,
        )
        base_url = start(server)
        results, elapsed = run_clients(base_url, seed, clients=clients, duration=duration)
        done = sum(len(result.submitted) for result in results)
        errors = [error for result in results for error in result.errors]
        seconds = sorted(value for result in results for value in result.seconds) or [0.0]
        problems = verify(server, seed, results)
        rate = done / elapsed if elapsed else 0.0
        print(f"[{database}] load average " + " ".join(f"{value:.1f}" for value in os.getloadavg()))
        print(
            f"  {done} applications submitted in {elapsed:.1f} s: {rate:.2f} applications/s "
            f"({2 * done * MEGABYTE / elapsed / MEGABYTE:.1f} MB/s of uploads); per application p50 "
            f"{statistics.median(seconds):.2f} s, max {seconds[-1]:.2f} s; client errors {len(errors)}"
        )
        for error in errors[:5]:
            print(f"    error: {error}")
        verdict = "no lost or duplicated application" if not problems and not errors else "; ".join(problems)
        print(f"  database check: {verdict}", flush=True)
        return f"[{database}] {rate:.2f} applications/s with 2 x 1 MB uploads, {clients} clients: {verdict}"
    finally:
        server.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.licensing_submit", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=max(2, min(4, os.cpu_count() or 2)))
    args = parser.parse_args(argv)
    print(
        f"Licensing submit benchmark on {platform.node()}: {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    databases = [("sqlite", None)]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        databases.append(("postgresql", fresh_postgres_url(os.environ["DATABASE_URL"], "_bench_lic_submit")))
    summary = [
        run_database(database, url, clients=args.clients, duration=args.duration, workers=args.workers)
        for database, url in databases
    ]
    print()
    print("\n".join(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

from unittest import TestCase, mock

import numpy as np
import pytest

from .reports import build_report, send_report

ROWS = [{"amount": 2}, {"amount": 3}]


def test_build_report():  # expect: RV304
    report = build_report(ROWS)
    print(report)


def test_build_report_runs():  # ok: RV304 (a smoke test: it fails when build_report raises)
    build_report(ROWS)


def test_build_report_unused():  # expect: RV304
    report = build_report(ROWS)


def test_report_total():
    report = build_report(ROWS)
    assert True  # expect: RV304


def test_report_count():
    report = build_report(ROWS)
    assert report == report  # expect: RV304


def test_report_tuple():
    report = build_report(ROWS)
    assert (report["count"] == 2, "count should be 2")  # expect: RV304


def test_report_literal():
    build_report(ROWS)
    assert 1  # expect: RV304


def test_send_report():  # expect: RV304
    mailer = mock.Mock()
    send_report({"count": 1}, mailer)
    mailer.send.assert_called_once  # attribute access, never called


class TestReportEdgeCases(TestCase):
    def test_empty_rows(self):  # expect: RV304
        try:
            build_report([])
        except ValueError:
            pass

    def test_total(self):  # ok: RV304
        self.assertEqual(build_report(ROWS)["total"], 5)


def test_report_values():  # ok: RV304
    assert build_report(ROWS) == {"count": 2, "total": 5}


def test_empty_rows_raise():  # ok: RV304
    with pytest.raises(ValueError):
        build_report([])


def test_send_report_calls_mailer():  # ok: RV304
    mailer = mock.Mock()
    send_report({"count": 1}, mailer)
    mailer.send.assert_called_once_with(to="team@example.com", body="{'count': 1}")


def check_report(report, count):
    assert report["count"] == count


def test_report_via_helper():  # ok: RV304
    check_report(build_report(ROWS), 2)


def test_totals_close():  # ok: RV304
    totals = np.array([build_report(ROWS)["total"]], dtype=float)
    np.testing.assert_allclose(totals, [5.0])


def test_smoke_build_report():  # ok: RV304
    build_report(ROWS)

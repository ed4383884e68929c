"""The cycle collector is paused while a rulebook is read, and left as the host had it."""

from __future__ import annotations

import gc

from fyrules.engine.collector import collector_paused


def test_the_collector_is_paused_and_turned_back_on():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested pauses: only the outer one turns it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_the_host_turned_off_stays_off():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_exception_still_turns_it_back_on():
    try:
        with collector_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_check_called_in_process_freezes_nothing_and_resumes_the_collector(capsys):
    """``fyrules check`` freezes its heap only when it is the whole process (its own command
    line): a host calling ``main([...])`` keeps every object collectable."""
    from fyrules.cli import main
    from tests.conftest import FUYANG

    frozen = gc.get_freeze_count()
    assert main(["check", str(FUYANG), "--lang", "en"]) == 0
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled()
    assert "0 error(s)" in capsys.readouterr().out


def test_check_as_its_own_process_freezes_its_heap_before_exit():
    """Run as the program (``python -m fyrules check``), the command freezes the heap it made
    before the process ends, so neither the resumed collector nor the one at exit walks it."""
    import subprocess
    import sys

    from tests.conftest import FUYANG

    probe = (
        "import gc, sys; from fyrules.cli import main; code = main(); "
        "sys.stderr.write(f'frozen={gc.get_freeze_count()} enabled={gc.isenabled()}'); "
        "sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "check", str(FUYANG), "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    frozen = int(done.stderr.rsplit("frozen=", 1)[1].split()[0])
    assert frozen > 10_000 and done.stderr.endswith("enabled=True")

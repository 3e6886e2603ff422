"""The confidential channel's key: required in production, derived in DEBUG."""

from tests.config.test_settings import run_manage


def test_start_up_fails_without_meldpunt_keys_in_production():
    result = run_manage("check", DEBUG="0", SECRET_KEY="x7" * 30, MELDPUNT_KEYS="")
    assert result.returncode != 0
    assert "MELDPUNT_KEYS must be set" in result.stderr


def test_debug_derives_a_key_of_its_own():
    result = run_manage(
        "shell", "-c", "from meldpunt import crypto; print(crypto.decrypt(crypto.encrypt('x')))",
        DEBUG="1", MELDPUNT_KEYS="",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("x")

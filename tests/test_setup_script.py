"""script/setup on a fresh machine: apt's lock, held by another apt (unattended-upgrades
runs on first boot), is waited for instead of failing the setup (issue 19, item 13)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

from tests.conftest import REPO


def executable(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_setup_waits_for_apts_lock(tmp_path: Path) -> None:
    # the setup as shipped, in a copy of the repository's script/ folder, on a machine
    # where every Debian package is missing; apt-get records how it was called
    (tmp_path / "script").mkdir()
    shutil.copy(REPO / "script" / "setup", tmp_path / "script" / "setup")
    executable(tmp_path / "script" / "postgres", "#!/bin/sh\nexit 7\n")  # stop after apt
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "apt-calls"
    executable(bin_dir / "dpkg-query", "#!/bin/sh\nexit 1\n")
    executable(bin_dir / "apt-get", f'#!/bin/sh\necho "$*" >> {calls}\n')
    executable(bin_dir / "sudo", '#!/bin/sh\nexec "$@"\n')
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", str(tmp_path / "script" / "setup")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 7, done.stderr  # apt went through; script/postgres came next
    update, install = calls.read_text(encoding="utf-8").splitlines()
    for call in (update, install):
        assert call.startswith("-o DPkg::Lock::Timeout=600 "), call
    assert " update " in f" {update} " and " install " in install and "chromium" in install

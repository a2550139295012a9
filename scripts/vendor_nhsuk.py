"""Vendor the NHS.UK frontend's compiled files into static/vendor/nhsuk/.

Usage: python scripts/vendor_nhsuk.py 10.6.1   (or `make vendor-nhsuk`)

Downloads the npm package with `npm pack` (the npm registry only), copies the compiled
CSS, the ES module JS and the icons, and makes two changes to the CSS so that it works
without the NHS's CDN: image URLs become relative to the CSS file, and the @font-face
rules for Frutiger (licensed to NHS services only, served from assets.nhs.uk) are dropped,
so text falls back to Arial as the design system intends.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

DEST = Path(__file__).resolve().parent.parent / "static" / "vendor" / "nhsuk"


def main(version: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"nhsuk-frontend@{version}", "--silent"], cwd=tmp, check=True
        )
        tarball = next(Path(tmp).glob("nhsuk-frontend-*.tgz"))
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp, filter="data")
        dist = Path(tmp) / "package" / "dist" / "nhsuk"

        shutil.rmtree(DEST, ignore_errors=True)
        (DEST / "assets").mkdir(parents=True)
        css = (dist / f"nhsuk-frontend-{version}.min.css").read_text()
        css = re.sub(r"@font-face\{[^}]*assets\.nhs\.uk[^}]*\}", "", css)
        css = css.replace("url(/assets/", "url(assets/")
        css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css)
        (DEST / "nhsuk-frontend.min.css").write_text(css)
        js = (dist / f"nhsuk-frontend-{version}.min.js").read_text()
        js = re.sub(r"//# sourceMappingURL=.*", "", js)
        (DEST / "nhsuk-frontend.min.js").write_text(js)
        shutil.copytree(dist / "assets" / "images", DEST / "assets" / "images")
        (DEST / "VERSION").write_text(f"nhsuk-frontend {version}\n")
    print(f"Vendored nhsuk-frontend {version} into {DEST}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "10.6.1")

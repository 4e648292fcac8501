"""Canonical names of processors and accelerators: spellings of one part, one name.

Submitters spell the same part several ways (``NVIDIA T4``, ``Tesla T4``;
``NVIDIA A100-PCIe``, ``A100-PCIE-40GB``, ``NVIDIA A100 PCIe``). The site keeps
the submitted spelling and files each under a canonical name, which staff
can correct in the admin; this is the first guess.
"""

from __future__ import annotations

import re

# (pattern on the folded name, canonical name), the first match wins.
_KNOWN = [
    (r"\bt4\b", "NVIDIA T4"),
    (r"\ba100\b.*\bsxm", "NVIDIA A100-SXM"),
    (r"\ba100\b.*\bpcie", "NVIDIA A100-PCIe"),
    (r"\ba100\b", "NVIDIA A100"),
    (r"\ba30\b", "NVIDIA A30"),
    (r"\ba10\b", "NVIDIA A10"),
    (r"\ba2\b", "NVIDIA A2"),
    (r"\ba40\b", "NVIDIA A40"),
    (r"\bv100\b.*\bsxm", "NVIDIA V100-SXM"),
    (r"\bv100\b", "NVIDIA V100"),
    (r"\bxavier\b.*\bnx\b", "NVIDIA Jetson Xavier NX"),
    (r"\bagx xavier\b|\bxavier\b", "NVIDIA Jetson AGX Xavier"),
    (r"\borin\b", "NVIDIA Jetson AGX Orin"),
    (r"quadro rtx 8000|rtx ?8000", "NVIDIA Quadro RTX 8000"),
    (r"quadro rtx 6000|rtx ?6000", "NVIDIA Quadro RTX 6000"),
    (r"cloud ai 100", "Qualcomm Cloud AI 100"),
    # The mobile suite's NPUs (v4.0 "Hexagon(TM) NPU", v2.1 "Hexagon Tensor Processor").
    (r"\bhexagon\b", "Qualcomm Hexagon NPU"),
    (r"\bsamsung npu\b", "Samsung NPU"),
]
_FOLD = re.compile(r"[\s_\-]+")
# Phone and laptop SoCs: "Qualcomm Snapdragon 8s Gen 3 Mobile Platform", "exynos2300".
_SNAPDRAGON = re.compile(r"\bsnapdragon ?(x elite|x plus|\d\+?s?(?: gen ?\d| elite)?)")
_EXYNOS = re.compile(r"\bexynos ?(\d{3,4})\b")
_WORDS = {"gen": "Gen", "elite": "Elite", "x": "X", "plus": "Plus"}


def canonical_part_name(name: str) -> str:
    """A canonical name for a submitted processor or accelerator name."""
    text = " ".join(name.split())
    folded = _FOLD.sub(" ", text.lower()).replace("(r)", "").replace("(tm)", "")
    folded = folded.replace("nvidia ", "").replace("tesla ", "")
    soc = _SNAPDRAGON.search(folded)
    if soc:
        words = re.sub(r"gen ?(\d)", r"gen \1", soc.group(1)).split()
        return "Qualcomm Snapdragon " + " ".join(_WORDS.get(w, w) for w in words)
    soc = _EXYNOS.search(folded)
    if soc:
        return f"Samsung Exynos {soc.group(1)}"
    for pattern, canonical in _KNOWN:
        if re.search(pattern, folded):
            return canonical
    return text

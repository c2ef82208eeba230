#!/usr/bin/python3
"""Writes scipy_vectors.json: scipy.signal.spectrogram outputs for small
deterministic signals, so that the Go unit tests run without scipy.

Run from this directory: /usr/bin/python3 gen_scipy.py
"""
import json
import math

import numpy as np
import scipy
import scipy.signal

FS = 360.0


def signal(n):
    # Sines, a trend, an offset and a deterministic pseudo-random noise
    # (a linear congruential generator, reproducible in any language).
    x = np.empty(n)
    state = 12345
    for i in range(n):
        state = (1103515245 * state + 12345) % 2**31
        noise = state / 2**31 - 0.5
        t = i / FS
        x[i] = (1.5 * math.sin(2 * math.pi * 1.2 * t) + 0.4 * math.sin(2 * math.pi * 17.0 * t)
                + 0.1 * math.sin(2 * math.pi * 60.0 * t) + 0.3 * t + 0.8 + 0.05 * noise)
    return x


CASES = [
    dict(window="hann", nperseg=64, noverlap=32, nfft=None, detrend="constant", scaling="density", mode="psd"),
    dict(window="hamming", nperseg=64, noverlap=16, nfft=128, detrend="linear", scaling="spectrum", mode="psd"),
    dict(window="blackman", nperseg=50, noverlap=25, nfft=None, detrend=False, scaling="density", mode="psd"),
    dict(window="boxcar", nperseg=63, noverlap=0, nfft=63, detrend="constant", scaling="spectrum", mode="psd"),
    dict(window="hann", nperseg=33, noverlap=24, nfft=81, detrend="linear", scaling="density", mode="magnitude"),
    dict(window=("tukey", 0.25), nperseg=256, noverlap=None, nfft=None, detrend="constant", scaling="density", mode="psd"),
    dict(window="blackman", nperseg=128, noverlap=64, nfft=None, detrend="linear", scaling="density", mode="magnitude"),
    dict(window="boxcar", nperseg=1, noverlap=0, nfft=None, detrend=False, scaling="density", mode="psd"),
]


def main():
    x = signal(400)
    out = {"scipy": scipy.__version__, "numpy": np.__version__, "fs": FS, "x": x.tolist(), "cases": []}
    for c in CASES:
        f, t, s = scipy.signal.spectrogram(x, fs=FS, **c)
        win = c["window"]
        if isinstance(win, tuple):
            win = "%s(%g)" % win
        out["cases"].append({
            "window": win, "nperseg": c["nperseg"],
            "noverlap": -1 if c["noverlap"] is None else c["noverlap"],
            "nfft": c["nfft"] or 0,
            "detrend": c["detrend"] or "none", "scaling": c["scaling"], "mode": c["mode"],
            "freqs": f.tolist(), "times": t.tolist(), "power": s.tolist(),
            "window_values": scipy.signal.get_window(c["window"], c["nperseg"]).tolist(),
        })
    with open("scipy_vectors.json", "w") as fp:
        json.dump(out, fp, separators=(",", ":"))


if __name__ == "__main__":
    main()

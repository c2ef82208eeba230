#!/usr/bin/python3
"""Helper of TestConformanceScipy: computes scipy.signal.spectrogram of a
signal stored as raw little-endian float64 and writes freqs, times and the
power matrix (freq-major) as raw float64, plus timings.

usage: conformance.py PARAMS_JSON IN.f64 OUT_PREFIX
"""
import json
import sys
import time
import timeit

import numpy as np
import scipy.signal


def main():
    p = json.loads(sys.argv[1])
    x = np.fromfile(sys.argv[2], dtype="<f8")
    win = p["window"]
    if win.startswith("tukey("):
        win = ("tukey", float(win[6:-1]))
    kw = dict(fs=p["fs"], window=win, nperseg=p["nperseg"], noverlap=p["noverlap"],
              nfft=p["nfft"] or None, detrend=False if p["detrend"] == "none" else p["detrend"],
              scaling=p["scaling"], mode=p["mode"])
    f, t, s = scipy.signal.spectrogram(x, **kw)
    f.astype("<f8").tofile(sys.argv[3] + ".f")
    t.astype("<f8").tofile(sys.argv[3] + ".t")
    np.ascontiguousarray(s).astype("<f8").tofile(sys.argv[3] + ".s")
    stride = p.get("stride", 0)
    if stride:
        # The signal cut into strides, one spectrogram each.
        def run():
            for k in range(0, len(x) - stride + 1, stride):
                scipy.signal.spectrogram(x[k:k + stride], **kw)
    else:
        def run():
            scipy.signal.spectrogram(x, **kw)
    best = min(timeit.repeat(run, number=1, repeat=5))
    # CPU time of the process (not disturbed by other processes on a
    # shared machine), best of 5.
    cpu = []
    for _ in range(5):
        c0 = time.process_time()
        run()
        cpu.append(time.process_time() - c0)
    print(json.dumps({"scipy": scipy.__version__, "seconds": best, "cpu_seconds": min(cpu)}))


if __name__ == "__main__":
    main()

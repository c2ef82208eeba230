// Package wfdb reads and writes PhysioNet WFDB records: header (.hea)
// files, signal files in every WFDB storage format (8, 16, 24, 32, 61, 80,
// 160, 212, 310, 311 and FLAC 508/516/524), single- and multi-segment
// records, and MIT-format annotation files.
//
// Samples are int32 ADC values; a sample the file marks as invalid reads as
// InvalidSample. Physical values are (digital - baseline) / gain. The
// results agree with the WFDB Software Package 10.7.0 (rdsamp, rdann)
// sample for sample; the conformance tests (make conformance) check it on
// the MIT-BIH Arrhythmia Database and on records in every format.
//
// Where this package and the WFDB library differ on purpose:
//
//   - A record whose header checksum does not match is read whole (the
//     WFDB library fails on its last frame, so rdsamp prints one row less);
//     VerifyChecksums reports the mismatch.
//   - Format 8 (first differences) read from a later frame is decoded from
//     the start of the file, so the values are right; rdsamp -f restarts the
//     differences from the initial value at the seek point.
//   - Values outside a format's range are clamped when written (WFDB's
//     writers wrap them around).
//
// As in the WFDB library, a skew is rounded to whole frames and a skewed
// record ends when the frame read that many frames ahead is missing;
// multi-frequency signals are averaged per frame (halves rounded up) by
// Digital and given at their own rate by HighRes.
//
// FLAC signal files are decoded and encoded with github.com/mewkiz/flac
// (pure Go, maintained). Its encoder picks constant, fixed or verbatim
// subframes; on 10 s of mitdb record 100 in format 516 it wrote 3770 bytes
// where xform (libFLAC) wrote 3789, and rdsamp reads its files.
package wfdb

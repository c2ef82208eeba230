// Package beats finds heartbeats in ECG signals and scores them.
//
// AnalyzeRecord does in one call what ecg beats does per record: it reads
// a WFDB record a chunk at a time, picks its leads, detects the beats and
// summarises them (heart rate and HRV, QRS polarity), and scores them
// against reference annotations; Analyze does the same for a record in
// memory, and Analysis.Annotations gives the beats to write with
// wfdb.WriteAnnotations.
//
// Detector is an incremental QRS detector for sampling rates from 50 Hz
// to 8 kHz (MinFs, MaxFs: the range measured): it is fed samples in chunks of any size (a file read in
// blocks, a live stream) and emits beats within a bounded delay, the same
// beats whatever the chunking. Detect and DetectLeads run it over a whole
// signal. It is composed of parts, each its own type in its own file: the
// envelope (front end), the levels, the rhythm tracker, the matched filter,
// the wavelet gap fill, the two-sided rhythm and the hold queue
// (docs/beats.md).
//
// Match compares detected beats with reference annotations by the
// beat-by-beat rules of ANSI/AAMI EC57 as the WFDB program bxb applies
// them (150 ms window, first 5 minutes skipped, ventricular flutter
// episodes left out: see Reference); it gives the same true positives,
// false negatives and false positives as bxb on every MIT-BIH Arrhythmia
// Database record.
//
// SummarizeHRV gives heart rate and time-domain variability (SDNN, RMSSD,
// pNN50) of a beat series; SummarizeBeats gives them over detected beats,
// leaving out the intervals around beats marked Noisy (found in noise or
// placed by the rhythm).
package beats

// Package wfdb reads and writes PhysioNet WFDB records: header (.hea)
// files, signal files in every WFDB storage format (8, 16, 24, 32, 61, 80,
// 160, 212, 310, 311 and FLAC 508/516/524), single- and multi-segment
// records, and MIT-format annotation files.
//
// Samples are int32 ADC values; a sample the file marks as invalid reads as
// InvalidSample. Physical values are (digital - baseline) / gain. The
// results agree with the WFDB Software Package (rdsamp, rdann) sample for
// sample.
package wfdb

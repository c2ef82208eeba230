// Package datasets handles databases as collections: record lists (RECORDS
// files), label folders, labels CSVs (REFERENCE.csv) and label maps,
// manifests, splits by record, strides and beat windows, labels from
// annotations, CSV and EDF device exports, and the pathology archive
// writer.
package datasets

// Package classify turns images and signals into feature vectors, trains
// a random forest on them, reads and writes a versioned model file, and
// measures a model on labelled data.
//
// The data flow is: inputs (spectrogram PNGs with their manifest RR
// columns, or signal segments of any length and rate) -> FeatureSpec
// (ImageVector, SignalVector) -> Train (TrainForest, grown in parallel
// from per-tree seeded sources so that the same seed and data give a
// byte-identical model) -> Model (Save, LoadModel, PredictImage,
// PredictSignal) -> Evaluate (per-label precision, recall, F1, support,
// macro and weighted averages, confusion matrix, precision-recall
// curves).
//
// TrainDataset does all of it from a folder of labelled files
// (datasets.LabelFolders) in one call, as ecg train does: features, a
// split by record group, the forest, the held-out report.
// EvaluateDataset is ecg eval, Model.PredictFile one file of ecg predict.
//
// The learner was chosen by measurement against golearn; see
// docs/classify.md. Besides the forest: gradient-boosted trees
// (LearnerGBDT), a network on image pixels (LearnerCNN) and
// LearnerGBDTSignet, gradient-boosted trees fused with a 1-D network on
// the signal itself (its models score signals: PredictSignal,
// PredictFile, EvaluateDataset; not feature vectors alone).
package classify

package classify

// BeatImagesWarning is what ecg train says when it is given an archive of
// beat images (datasets.IsBeatWindowArchive): what such a model cannot
// learn, measured on de Chazal's split (docs/classify.md: DS1 archive ->
// DS2 archive, the forest on image features and the manifest's RR
// columns), and the path that works.
const BeatImagesWarning = "an archive of beat images (ecg spectro --label aami): a model of beat spectrograms, even with the manifest's RR columns, " +
	"does not learn the classes that depend on the rhythm (trained on de Chazal's DS1: S sensitivity 0.4 %, F 0 % on DS2); " +
	"for beat classes train on the records themselves: ecg train --beats RECORD... --out MODEL (S 88 %, V 96 %), then ecg beats --classify MODEL, ecg eval MODEL RECORD..."

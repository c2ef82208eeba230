package classify

// BeatImagesWarning is what ecg train says when it is given an archive of
// beat images (datasets.IsBeatWindowArchive): how such models score,
// measured on de Chazal's split at the reference beats (docs/classify.md,
// "Measured: beat images with the manifest, DS1 -> DS2": DS1 archive ->
// DS2 archive, the forest on image features and the network on pixels,
// both with the manifest's RR columns), and the path that works better.
const BeatImagesWarning = "an archive of beat images (ecg spectro --label aami): models of beat spectrograms, even with the manifest's RR columns, " +
	"learn the beat classes worse than beat features of the records (trained on de Chazal's DS1, tested on DS2: S sensitivity 0.4 % with the image forest; " +
	"S 70-91 % at +P 29-34 % and V 74-90 % with --learner cnn, two seeds); " +
	"for beat classes train on the records themselves: ecg train --beats RECORD... --out MODEL (S 91 % at +P 52 %, V 96 %), then ecg beats --classify MODEL, ecg eval MODEL RECORD..."

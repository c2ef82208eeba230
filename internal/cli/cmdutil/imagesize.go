package cmdutil

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
)

// DeclareImageSize adds --image-size ROWSxCOLS to cmd (ecg train): the
// size of the luminance matrix an image learner reads (the network's
// input; the forest's image feature matrix). It is checked before the
// command runs; Spec applies it.
func (l *LearnerFlags) DeclareImageSize(cmd *cobra.Command) {
	def, deff := classify.CNNImageFeatures(), classify.DefaultImageFeatures()
	cmd.Flags().StringVar(&l.ImageSize, "image-size", "", fmt.Sprintf(
		"images: ROWSxCOLS (frequency x time) the images are resized to before the learner reads them (cnn default %dx%d, forest %dx%d)",
		def.Rows, def.Cols, deff.Rows, deff.Cols))
	AddCheck(cmd, func() error {
		if !cmd.Flags().Changed("image-size") {
			return nil
		}
		if b := cmd.Flags().Lookup("beats"); b != nil && b.Changed {
			return Usagef("--image-size is for folders of images, not --beats")
		}
		_, _, err := l.imageSize()
		return err
	})
}

// imageSize parses --image-size: rows and cols, 4 to 1024 each.
func (l *LearnerFlags) imageSize() (rows, cols int, err error) {
	r, c, ok := strings.Cut(strings.ToLower(l.ImageSize), "x")
	if rows, err = strconv.Atoi(r); err == nil && ok {
		cols, err = strconv.Atoi(c)
	}
	if err != nil || !ok || rows < 4 || cols < 4 || rows > 1024 || cols > 1024 {
		return 0, 0, Usagef("--image-size %q: want ROWSxCOLS such as 32x128, each 4 to 1024", l.ImageSize)
	}
	return rows, cols, nil
}

// imageSpec returns the feature spec of the images of ds resized to
// --image-size: the cnn's (classify.CNNSpecFor) or the other learners'
// (classify.SpecFor). A folder of records, a size the learner cannot
// read, or one other than the --from network's, is a usage error.
func (l *LearnerFlags) imageSpec(ds *datasets.LabelFolders) (*classify.FeatureSpec, error) {
	rows, cols, err := l.imageSize()
	if err != nil {
		return nil, err
	}
	spec, err := classify.SpecFor(ds)
	if err == nil && l.Name == "cnn" && spec.Input == classify.InputImage {
		spec, err = classify.CNNSpecFor(ds)
	}
	if err != nil {
		return nil, err
	}
	if spec.Input != classify.InputImage {
		return nil, Usagef("--image-size is for images; %s holds %s files", ds.Dir, spec.Input)
	}
	net := l.CNN
	if from := l.CNN.From; from != nil && from.CNN() != nil {
		fr, fc := from.CNN().ImageSize()
		if fr != rows || fc != cols {
			return nil, Usagef("--image-size %s: the network of --from %s reads %dx%d images", l.ImageSize, l.From, fr, fc)
		}
		net.Filters = from.CNN().Net.Arch.Filters
	}
	spec, err = spec.WithNetworkImageSize(rows, cols, net)
	if err != nil {
		return nil, Usagef("--image-size %s: %v", l.ImageSize, err)
	}
	return &spec, nil
}

// fromImageSize makes --image-size the size the network of --from reads
// when --image-size is not given and it is not the cnn's default (a
// temporal network of 16x512, say): the folder's images are resized to
// what the network was trained on, as they must be. records names a
// flag of records that was given (then Spec refuses the folder anyway).
func (l *LearnerFlags) fromImageSize(records string) {
	from := l.CNN.From
	if l.ImageSize != "" || records != "" || from == nil || from.CNN() == nil {
		return
	}
	rows, cols := from.CNN().ImageSize()
	if d := classify.CNNImageFeatures(); rows != d.Rows || cols != d.Cols {
		l.ImageSize = fmt.Sprintf("%dx%d", rows, cols)
	}
}

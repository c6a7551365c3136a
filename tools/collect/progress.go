package collect

import "github.com/svgai/svgai/shared/cli"

// Progress reports how far a run is: shared/cli's bar with rate and ETA on
// a terminal, plain lines otherwise. A nil *Progress reports nothing.
type Progress = cli.Progress

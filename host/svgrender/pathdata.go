package svgrender

import (
	"errors"
	"fmt"
)

// argCount is the number of numbers each path command takes (SVG 1.1 §8.3).
func argCount(cmd byte) int {
	switch cmd | 0x20 { // lower case
	case 'z':
		return 0
	case 'h', 'v':
		return 1
	case 'm', 'l', 't':
		return 2
	case 's', 'q':
		return 4
	case 'c':
		return 6
	case 'a':
		return 7
	}
	return -1
}

// pathBuilder turns path commands into absolute segments.
type pathBuilder struct {
	segs      []Segment
	limit     int   // the most segments segs may hold
	cur       Point // current point
	start     Point // start of the current subpath
	ctrl      Point // last control point, for S and T
	prev      byte  // previous command, lower case
	closed    bool  // the last command was Z: a drawing command needs an implicit move
	hasSubpth bool
}

func (b *pathBuilder) add(s Segment) error {
	if len(b.segs) >= b.limit {
		return &LimitError{What: "path segments", Got: int64(len(b.segs)) + 1, Limit: int64(b.limit)}
	}
	b.segs = append(b.segs, s)
	return nil
}

// parsePathData appends the segments of path data d to segs, refusing to
// let segs grow beyond limit. Unlike a browser, which draws a path up to
// its first error, it rejects the whole path: for VTracer output a
// malformed path means something upstream is broken.
func parsePathData(d string, segs []Segment, limit int) ([]Segment, error) {
	b := pathBuilder{segs: segs, limit: limit}
	sc := scanner{s: d}
	sc.skipSpace()
	var cmd byte
	var args [7]float64
	for !sc.done() {
		at := sc.i
		c := sc.peek()
		switch {
		case argCount(c) >= 0:
			cmd = c
			sc.i++
			sc.skipSpace()
		case cmd != 0 && sc.startsNumber() && argCount(cmd) > 0:
			// Repeated arguments repeat the command; after a moveto they
			// are linetos.
			if cmd == 'M' {
				cmd = 'L'
			} else if cmd == 'm' {
				cmd = 'l'
			}
		default:
			return b.segs, fmt.Errorf("at byte %d: unexpected %q", at, c)
		}
		if !b.hasSubpth && cmd|0x20 != 'm' {
			return b.segs, fmt.Errorf("at byte %d: path data must start with a moveto", at)
		}
		n := argCount(cmd)
		for k := 0; k < n; k++ {
			var err error
			if cmd|0x20 == 'a' && (k == 3 || k == 4) {
				var f bool
				f, err = sc.flag()
				args[k] = 0
				if f {
					args[k] = 1
				}
			} else {
				args[k], err = sc.number()
			}
			if err != nil {
				return b.segs, fmt.Errorf("at byte %d: %c: %w", sc.i, cmd, err)
			}
		}
		if err := b.command(cmd, args[:n]); err != nil {
			return b.segs, fmt.Errorf("at byte %d: %w", at, err)
		}
	}
	return b.segs, nil
}

// command applies one path command with its arguments.
func (b *pathBuilder) command(cmd byte, a []float64) error {
	lower := cmd | 0x20
	rel := cmd == lower
	abs := func(x, y float64) Point {
		if rel {
			return Point{b.cur.X + x, b.cur.Y + y}
		}
		return Point{x, y}
	}
	if lower != 'm' && lower != 'z' && b.closed {
		// A drawing command straight after Z starts a new subpath at the
		// old one's start (SVG 1.1 §8.3.3).
		if err := b.add(Segment{Op: MoveTo, Pts: [3]Point{b.start}}); err != nil {
			return err
		}
	}
	if lower != 'z' {
		b.closed = false
	}
	var err error
	next := b.ctrl
	switch lower {
	case 'm':
		p := abs(a[0], a[1])
		err = b.add(Segment{Op: MoveTo, Pts: [3]Point{p}})
		b.cur, b.start, b.hasSubpth = p, p, true
	case 'z':
		if !b.closed {
			err = b.add(Segment{Op: Close})
		}
		b.cur, b.closed = b.start, true
	case 'l', 'h', 'v':
		var p Point
		switch lower {
		case 'l':
			p = abs(a[0], a[1])
		case 'h':
			p = abs(a[0], 0)
			p.Y = b.cur.Y
		case 'v':
			p = abs(0, a[0])
			p.X = b.cur.X
		}
		err = b.add(Segment{Op: LineTo, Pts: [3]Point{p}})
		b.cur = p
	case 'c', 's':
		var c1 Point
		if lower == 'c' {
			c1, a = abs(a[0], a[1]), a[2:]
		} else {
			c1 = b.reflect('c', 's')
		}
		c2, p := abs(a[0], a[1]), abs(a[2], a[3])
		err = b.add(Segment{Op: CubicTo, Pts: [3]Point{c1, c2, p}})
		b.cur, next = p, c2
	case 'q', 't':
		var c1 Point
		if lower == 'q' {
			c1, a = abs(a[0], a[1]), a[2:]
		} else {
			c1 = b.reflect('q', 't')
		}
		p := abs(a[0], a[1])
		err = b.add(Segment{Op: QuadTo, Pts: [3]Point{c1, p}})
		b.cur, next = p, c1
	case 'a':
		p := abs(a[5], a[6])
		err = arcTo(b, b.cur, a[0], a[1], a[2], a[3] != 0, a[4] != 0, p)
		b.cur = p
	default:
		err = errors.New("unknown command")
	}
	b.prev, b.ctrl = lower, next
	return err
}

// reflect returns the first control point of a smooth curve: the previous
// curve's last control point mirrored about the current point when the
// previous command was of the same kind (c1 or c2), else the current point.
func (b *pathBuilder) reflect(c1, c2 byte) Point {
	if b.prev != c1 && b.prev != c2 {
		return b.cur
	}
	return Point{2*b.cur.X - b.ctrl.X, 2*b.cur.Y - b.ctrl.Y}
}

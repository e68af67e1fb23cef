package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/oneonone/oneonone/prep"
)

// chart is one chart of the pair page, drawn on the server as inline
// SVG (no script), with the same figures as a table for screen readers.
type chart struct {
	ID            string // prefix of the element ids
	Title         string
	Summary       string // what the chart shows, in one sentence
	Width, Height int
	Line          string // polyline points of a line chart
	Dots          []chartMark
	Bars          []chartMark
	YTicks        []chartTick
	XTicks        []chartTick
	Legend        []chartLegend
	Table         chartTable
}

type chartMark struct {
	X, Y, W, H string
	Class      string
	Label      string // the <title>: value and date
}

type chartTick struct {
	Pos    string // y of a horizontal line, or x of a label
	Label  string
	Anchor string // text-anchor of an x label: start, middle or end
}

type chartLegend struct{ Class, Text string }

type chartTable struct {
	Head []string
	Rows [][]string
}

// The drawing area inside the viewBox.
const (
	chartW, chartH = 320, 160
	padLeft        = 24
	padRight       = 8
	padTop         = 8
	padBottom      = 22
)

func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// scaleChart draws one person's 1–5 answers to one question over time.
func scaleChart(sc prep.ScaleSeries, other string, loc *time.Location) chart {
	who := "Your"
	if !sc.Yours {
		who = other + "’s"
	}
	c := chart{ID: "scale-" + sc.QuestionID + map[bool]string{true: "-yours", false: "-theirs"}[sc.Yours],
		Title: who + " answers: " + sc.Question, Width: chartW, Height: chartH,
		Table: chartTable{Head: []string{"Meeting", "Answer (1–5)"}}}
	plotW, plotH := float64(chartW-padLeft-padRight), float64(chartH-padTop-padBottom)
	for v := 1; v <= 5; v++ {
		c.YTicks = append(c.YTicks, chartTick{Pos: num(padTop + plotH*float64(5-v)/4), Label: strconv.Itoa(v)})
	}
	first, last := sc.Points[0].At, sc.Points[len(sc.Points)-1].At
	span := last.Sub(first)
	var line []string
	for _, pt := range sc.Points {
		x := padLeft + plotW/2
		if span > 0 {
			x = padLeft + plotW*float64(pt.At.Sub(first))/float64(span)
		}
		y := padTop + plotH*float64(5-pt.Value)/4
		day := pt.At.In(loc).Format("2 Jan 2006")
		line = append(line, num(x)+","+num(y))
		c.Dots = append(c.Dots, chartMark{X: num(x), Y: num(y), Class: "dot", Label: fmt.Sprintf("%d on %s", pt.Value, day)})
		c.Table.Rows = append(c.Table.Rows, []string{day, strconv.Itoa(pt.Value)})
	}
	c.Line = strings.Join(line, " ")
	if span > 0 { // the first and last dates under the ends of the line
		c.XTicks = []chartTick{{Pos: num(padLeft), Label: first.In(loc).Format("Jan 2006"), Anchor: "start"},
			{Pos: num(chartW - padRight), Label: last.In(loc).Format("Jan 2006"), Anchor: "end"}}
	} else {
		c.XTicks = []chartTick{{Pos: num(padLeft + plotW/2), Label: first.In(loc).Format("Jan 2006"), Anchor: "middle"}}
	}
	c.Summary = fmt.Sprintf("%d answers from %s to %s; the latest is %d of 5.", len(sc.Points),
		first.In(loc).Format("2 Jan 2006"), last.In(loc).Format("2 Jan 2006"), sc.Points[len(sc.Points)-1].Value)
	return c
}

// monthChart draws held and not happened meetings per month as pairs of
// bars.
func monthChart(ms []prep.MonthCount) *chart {
	c := &chart{ID: "months", Title: "Held and cancelled, per month", Width: chartW, Height: chartH,
		Legend: []chartLegend{{"bar-held", "held"}, {"bar-cancelled", "cancelled, declined or did not happen"}},
		Table:  chartTable{Head: []string{"Month", "Held", "Cancelled"}}}
	top := 1
	held, cancelled := 0, 0
	for _, m := range ms {
		top = max(top, m.Held, m.Cancelled)
		held, cancelled = held+m.Held, cancelled+m.Cancelled
	}
	plotW, plotH := float64(chartW-padLeft-padRight), float64(chartH-padTop-padBottom)
	slot := plotW / float64(len(ms))
	bar := min(slot*0.4, 24)
	for _, v := range []int{0, top} {
		c.YTicks = append(c.YTicks, chartTick{Pos: num(padTop + plotH*float64(top-v)/float64(top)), Label: strconv.Itoa(v)})
	}
	for i, m := range ms {
		month, _ := time.Parse("2006-01", m.Month)
		name := month.Format("Jan 2006")
		x := padLeft + slot*float64(i) + slot/2
		for j, b := range []struct {
			n     int
			class string
			what  string
		}{{m.Held, "bar-held", "held"}, {m.Cancelled, "bar-cancelled", "cancelled"}} {
			h := plotH * float64(b.n) / float64(top)
			c.Bars = append(c.Bars, chartMark{X: num(x - bar + float64(j)*bar), Y: num(padTop + plotH - h), W: num(bar), H: num(h),
				Class: b.class, Label: fmt.Sprintf("%s: %d %s", name, b.n, b.what)})
		}
		c.XTicks = append(c.XTicks, chartTick{Pos: num(x), Label: month.Format("Jan"), Anchor: "middle"})
		c.Table.Rows = append(c.Table.Rows, []string{name, strconv.Itoa(m.Held), strconv.Itoa(m.Cancelled)})
	}
	c.Summary = fmt.Sprintf("Over %d months, %d held and %d cancelled, declined or did not happen.", len(ms), held, cancelled)
	return c
}

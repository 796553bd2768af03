// The history chart (uPlot): average line, min–max band, and the thresholds of the rules as flat lines.
// Properties only: {points: [{t (ms), avg, min, max}], thresholds: [{value, label}], labels: {avg, min, max}}.
import uPlot from 'uplot';

const THRESHOLD_COLOURS = ['#c0392b', '#d35400', '#8e44ad', '#16a085'];
const LONG_GAP = 3;   // empty buckets in a row that show as a gap (fewer: readings sparser than buckets)

/** Drops the empty buckets of short gaps; a long silence keeps one empty bucket, which breaks the line. */
function withoutShortGaps(points) {
  const out = [];
  let empty = [];
  for (const point of points) {
    if (point.avg == null) {
      empty.push(point);
      continue;
    }
    if (empty.length >= LONG_GAP) out.push(empty[0]);
    empty = [];
    out.push(point);
  }
  if (empty.length >= LONG_GAP) out.push(empty[0]);
  return out;
}

/** Time axis labels in the page's language: hours within two days, else day and month. */
function timeLabels(locale) {
  return (u, splits) => {
    const span = (splits[splits.length - 1] ?? 0) - (splits[0] ?? 0);
    const format = new Intl.DateTimeFormat(locale, span <= 2 * 86400
      ? { hour: 'numeric', minute: '2-digit' } : { day: 'numeric', month: 'short' });
    return splits.map(v => format.format(new Date(v * 1000)));
  };
}

export default {
  name: 'HistoryChart',
  props: {
    points: { type: Array, required: true },
    thresholds: { type: Array, default: () => [] },
    labels: { type: Object, required: true },
    title: { type: String, required: true },
    locale: { type: String, default: 'en' },
  },
  mounted() {
    this.draw();
    this.observer = new ResizeObserver(() => this.plot?.setSize(this.size()));
    this.observer.observe(this.$el);
  },
  unmounted() {
    this.observer?.disconnect();
    this.plot?.destroy();
  },
  watch: { points: 'draw', thresholds: 'draw', labels: 'draw', locale: 'draw' },
  methods: {
    size() {
      const width = Math.max(280, this.$el.clientWidth);
      return { width, height: width < 500 ? 220 : 320 };
    },
    draw() {
      this.plot?.destroy();
      const points = withoutShortGaps(this.points);
      const xs = points.map(p => p.t / 1000);
      const data = [xs, points.map(p => p.avg), points.map(p => p.min), points.map(p => p.max),
        ...this.thresholds.map(th => xs.map(() => th.value))];
      const series = [
        {},
        // points drawn too: a reading alone between two silent buckets is a dot, not nothing
        { label: this.labels.avg, stroke: '#1f6feb', width: 2, spanGaps: false, points: { show: true, size: 5, fill: '#1f6feb' } },
        { label: this.labels.min, stroke: 'rgba(31,111,235,0.35)', width: 1 },
        { label: this.labels.max, stroke: 'rgba(31,111,235,0.35)', width: 1 },
        ...this.thresholds.map((th, i) => ({ label: th.label, stroke: THRESHOLD_COLOURS[i % THRESHOLD_COLOURS.length], width: 1.5, dash: [6, 4] })),
      ];
      const options = {
        ...this.size(),
        series,
        bands: [{ series: [3, 2], fill: 'rgba(31,111,235,0.12)' }],
        axes: [{ values: timeLabels(this.locale), space: 90 }, { label: '°C', size: 50 }],
        scales: { x: { time: true } },
        cursor: { drag: { x: false, y: false } },
      };
      this.plot = new uPlot(options, data, this.$refs.canvas);
    },
  },
  template: `<figure class="chart" :aria-label="title"><div ref="canvas" role="img" :aria-label="title"></div></figure>`,
};

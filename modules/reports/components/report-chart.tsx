"use client";

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ChartSeries {
  key: string;
  label: string;
}

export interface ReportChartProps {
  kind: "bar" | "stacked" | "line" | "funnel";
  /** One point per table row: `x` is the row's label as the table shows it, the series keys its figures. */
  data: Record<string, string | number | null>[];
  series: ChartSeries[];
  /** What the chart shows, for readers who cannot see it; the table beside it holds the figures. */
  label: string;
  /** Rows named by text (stages, owners, campaigns) each keep their label; periods may skip some. */
  namedRows: boolean;
}

const color = (i: number) => `var(--chart-${(i % 5) + 1})`;
const axis = { fill: "var(--muted-foreground)", fontSize: 12 };
const tooltip = {
  contentStyle: {
    background: "var(--popover)",
    color: "var(--popover-foreground)",
    border: "1px solid var(--border)",
    borderRadius: "var(--radius)",
    fontSize: 12,
  },
  cursor: { fill: "var(--muted)", opacity: 0.5 },
};

/** A report's chart on recharts, coloured by the theme's chart palette so light and dark both read. */
export function ReportChart({ kind, data, series, label, namedRows }: ReportChartProps) {
  // Every name shown, slanted when there are too many to fit side by side.
  const slanted = namedRows && data.length > 6;
  const xTick = slanted ? { ...axis, angle: -30, textAnchor: "end" as const } : axis;
  const legend = series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null;
  let chart: React.ReactElement;
  if (kind === "funnel") {
    chart = (
      <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24 }}>
        <CartesianGrid horizontal={false} stroke="var(--border)" />
        <XAxis type="number" allowDecimals={false} tick={axis} stroke="var(--border)" />
        <YAxis type="category" dataKey="x" width={160} tick={axis} stroke="var(--border)" />
        <Tooltip {...tooltip} />
        {series.map((s, i) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} fill={color(i)} radius={[0, 4, 4, 0]} maxBarSize={48} isAnimationActive={false} />
        ))}
      </BarChart>
    );
  } else if (kind === "line") {
    chart = (
      <LineChart data={data} margin={{ left: 0, right: 16 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="x" tick={axis} stroke="var(--border)" />
        <YAxis allowDecimals={false} tick={axis} stroke="var(--border)" />
        <Tooltip {...tooltip} />
        {legend}
        {series.map((s, i) => (
          <Line key={s.key} dataKey={s.key} name={s.label} stroke={color(i)} strokeWidth={2} dot={false} isAnimationActive={false} />
        ))}
      </LineChart>
    );
  } else {
    chart = (
      <BarChart data={data} margin={{ left: 0, right: 16 }}>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="x" tick={xTick} interval={namedRows ? 0 : "preserveEnd"} height={slanted ? 80 : 30} stroke="var(--border)" />
        <YAxis tick={axis} stroke="var(--border)" />
        <Tooltip {...tooltip} />
        {legend}
        {series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            fill={color(i)}
            stackId={kind === "stacked" ? "all" : undefined}
            radius={kind === "stacked" ? 0 : [4, 4, 0, 0]}
            maxBarSize={64}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    );
  }
  return (
    <div role="img" aria-label={label} data-testid="report-chart" className="h-80 w-full min-w-0">
      <ResponsiveContainer width="100%" height="100%">
        {chart}
      </ResponsiveContainer>
    </div>
  );
}

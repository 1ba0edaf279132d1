// The ECharts build for the one-file report: only the chart types and
// components funnel draws (see docs/deliverables.md for the measurement).
// `make assets` bundles it with esbuild into dist/echarts.custom.min.js.
import * as echarts from 'echarts/core';
import { BarChart, BoxplotChart, FunnelChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapContinuousComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
echarts.use([BarChart, BoxplotChart, FunnelChart, HeatmapChart, LineChart, ScatterChart,
  GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapContinuousComponent, MarkLineComponent,
  CanvasRenderer, SVGRenderer]);
export * from 'echarts/core';

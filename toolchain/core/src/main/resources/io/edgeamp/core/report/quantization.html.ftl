<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>EdgeAMP quantization: ${r.model} (${r.task})</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
  h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ddd; }
  table { border-collapse: collapse; margin: 0.5em 0; } td, th { padding: 0.25em 0.7em; border: 1px solid #ddd; text-align: right; }
  th { background: #f3f3f3; } td.l, th.l { text-align: left; }
  .ok { color: #1a7f37; font-weight: bold; } .bad { color: #c62828; font-weight: bold; }
  .warn { background: #fff4e5; border-left: 4px solid #ff9800; padding: 0.5em 1em; }
  .cpu { background: #fde7e7; } .npu2 { background: #e8f4fd; } .npu4 { background: #d2e9fb; } .npu8 { background: #b9dcf8; }
</style>
</head>
<body>
<h1>Quantization of ${r.model} for ${r.task}<#if r.board??> on ${r.board}</#if></h1>
<p>Created ${r.created}. Allocator <b>${r.allocator}</b>, sensitivity by <b>${r.sensitivityMethod}</b>.
Chosen average: <b>${r.averageBits?string("0.00")} bits per weight</b>;
tolerance on ${r.metric}: ${r.tolerance?c} (threshold ${r.threshold?string("0.0000")}):
<#if r.toleranceMet><span class="ok">met</span><#else><span class="bad">not met</span></#if>.</p>
<#if r.fallback??><p class="warn">Fallback: ${r.fallback}</p></#if>
<#list r.warnings as w><p class="warn">${w}</p></#list>

<h2>Float, uniform 8-bit and chosen</h2>
<table>
<tr><th class="l">metric</th><th>float</th><th>uniform 8-bit</th><th>chosen</th></tr>
<#list r.floatMetrics?keys as k>
<tr><td class="l">${k}</td><td>${r.floatMetrics[k]?string("0.0000")}</td>
<td><#if r.uniform8Metrics[k]??>${r.uniform8Metrics[k]?string("0.0000")}</#if></td>
<td><#if r.chosenMetrics[k]??>${r.chosenMetrics[k]?string("0.0000")}</#if></td></tr>
</#list>
<tr><td class="l">weight bytes</td><td>${r.weightBytesFloat?c}</td><td>${r.weightBytesUniform8?c}</td><td>${r.weightBytesChosen?c}</td></tr>
</table>
<#if r.floatTestMetrics?has_content>
<p>On the held-out test split, which the budget search did not use<#if r.task == "anomaly"> (the only split with anomalous windows: roc_auc is how well reconstruction error separates them)</#if>:</p>
<table>
<tr><th class="l">metric (test)</th><th>float</th><th>chosen</th></tr>
<#list r.floatTestMetrics?keys as k>
<tr><td class="l">${k}</td><td>${r.floatTestMetrics[k]?string("0.0000")}</td>
<td><#if r.chosenTestMetrics[k]??>${r.chosenTestMetrics[k]?string("0.0000")}</#if></td></tr>
</#list>
</table>
</#if>

<h2>Layers</h2>
${charts.sensitivity?no_esc}
${charts.bits?no_esc}
${charts.bytes?no_esc}
<table>
<tr><th class="l">layer</th><th class="l">kind</th><th>params</th><th>sensitivity</th><th>iterations</th><th>bits</th><th class="l">runs on</th><th>weight bytes</th><th class="l">why</th></tr>
<#list r.layers as l>
<tr class="<#if l.bits == 32>cpu<#else>npu${l.bits}</#if>"><td class="l">${l.name}</td><td class="l">${l.kind}</td><td>${l.parameters?c}</td>
<td>${l.sensitivity?string("0.###E0")}<#if !l.converged> (not converged)</#if></td><td>${l.iterations}</td><td>${l.bits}</td>
<td class="l">${l.target}</td><td>${l.weightBytes?c}</td><td class="l"><#if l.reason??>${l.reason}</#if></td></tr>
</#list>
</table>

<h2>Budget search</h2>
${charts.probes?no_esc}
<table>
<tr><th class="l">phase</th><th>budget</th><th>average bits</th><th>${r.metric}</th><th class="l">passes</th></tr>
<#list r.probes as p>
<tr><td class="l">${p.phase}</td><td>${p.budget?string("0.00")}</td><td>${p.averageBits?string("0.00")}</td><td>${p.metric?string("0.0000")}</td>
<td class="l"><#if p.passed><span class="ok">yes</span><#else><span class="bad">no</span></#if></td></tr>
</#list>
</table>

<#if charts.predicted??>
<h2>Predicted against actual</h2>
${charts.predicted?no_esc}
</#if>
<#if r.confusion??>
<h2>Confusion matrix (validation, chosen model)</h2>
<table>
<tr><th class="l">true \ predicted</th><#list r.classNames as c><th>${c}</th></#list></tr>
<#list r.confusion as row>
<tr><th class="l">${r.classNames[row?index]}</th><#list row as n><td>${n}</td></#list></tr>
</#list>
</table>
</#if>

<h2>Time per stage</h2>
<table>
<tr><th class="l">stage</th><th>seconds</th></tr>
<#list r.stageSeconds?keys as s><tr><td class="l">${s}</td><td>${r.stageSeconds[s]?string("0.00")}</td></tr></#list>
</table>
</body>
</html>

//! シミュレータ: the list of scenarios, or one scenario — the decision and its explanation, the
//! path for networks, the knobs, the request, and every statement with its reason and JSON.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::strings;
use super::theme::Theme;
use crate::app::App;
use crate::app::simulator::{Focus, Open, TableView};
use crate::sim::network::Hop;
use crate::sim::{Decision, Outcome, ScenarioKind, Verdict};
use crate::text;

/// A short label for a network check.
fn hop_label(hop: Hop) -> &'static str {
    match hop {
        Hop::SgIngress => "セキュリティグループ(受信)",
        Hop::SgEgress => "セキュリティグループ(送信)",
        Hop::NaclIngress => "ネットワーク ACL(受信)",
        Hop::NaclEgress => "ネットワーク ACL(送信)",
        Hop::NaclEgressReturn => "ネットワーク ACL(戻り・送信)",
        Hop::NaclIngressReturn => "ネットワーク ACL(戻り・受信)",
        Hop::PeerSgIngress => "相手のセキュリティグループ(受信)",
        Hop::PeerSgEgress => "相手のセキュリティグループ(送信)",
        Hop::Route | Hop::PeerRoute => "ルート",
        Hop::RouteReturn | Hop::PeerRouteReturn => "ルート(戻り)",
        Hop::NoRoute => "ルートなし",
        Hop::Blackhole => "ブラックホール",
        Hop::NoPublicIp => "パブリックIPなし",
        Hop::NatNoRoute => "NATのルートなし",
        Hop::EgressOnly => "外からの接続不可",
        Hop::PeeringNotTransitive => "ピアリングの中継不可",
        _ => "確認",
    }
}

/// A section heading, bright when the cursor is in it.
fn section(title: &'static str, focused: bool, theme: Theme) -> Line<'static> {
    Line::styled(
        title,
        if focused {
            theme.heading()
        } else {
            theme.dim()
        },
    )
}

/// Draws the simulator screen.
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    match &app.sim.open {
        None => list(app, frame, area, theme),
        Some(open) => scenario(open, frame, area, theme),
    }
}

fn list(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let right = format!("{}件", app.library.scenarios.len());
    let body = super::frame_screen(frame, area, strings::SIM_LIST, &right, theme);
    let width = usize::from(body.width).max(1);
    let height = usize::from(body.height).max(1);
    let first = app.sim.list_cursor.saturating_sub(height - 1);
    let lines: Vec<Line<'static>> = app
        .library
        .scenarios
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, entry)| {
            let selected = i == app.sim.list_cursor;
            let row = format!(
                "{} {}  {}",
                if selected { ">" } else { " " },
                entry.scenario.title,
                entry.scenario.id
            );
            Line::styled(
                text::truncate(&row, width),
                if selected {
                    theme.cursor()
                } else {
                    theme.text()
                },
            )
        })
        .collect();
    super::render_lines(frame, body, lines, 0);
}

fn scenario(open: &Open, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    if let Some(view) = &open.table {
        return table(open, view, frame, area, theme);
    }
    let sc = &open.current;
    let body = super::frame_screen(
        frame,
        area,
        &format!("シミュレータ: {}", sc.title),
        &sc.id,
        theme,
    );
    if body.width == 0 || body.height == 0 {
        return;
    }
    let width = usize::from(body.width);
    let mut lines: Vec<Line<'static>> = Vec::new();

    if !open.errors.is_empty() {
        lines.push(Line::styled(strings::SIM_EDIT_ERRORS, theme.wrong()));
        for error in &open.errors {
            lines.extend(super::wrapped(error, width, "  ", "  ", theme.wrong()));
        }
        lines.push(Line::default());
    }

    // The decision first, with its explanation: it is what the learner watches change.
    let (head, allowed) = match &open.outcome {
        Outcome::Iam(outcome) => {
            let decisive: Vec<&str> = outcome.decisive.iter().map(|p| p.key()).collect();
            let head = format!("{}  [{}]", outcome.decision.label(), decisive.join(", "));
            (head, outcome.decision == Decision::Allow)
        }
        Outcome::Network(outcome) => {
            let head = if outcome.reachable {
                "到達する"
            } else {
                "到達しない"
            };
            (head.to_string(), outcome.reachable)
        }
    };
    let style = if allowed {
        theme.correct()
    } else {
        theme.wrong()
    };
    let head = format!("{}: {head}", strings::SIM_DECISION);
    lines.push(Line::styled(text::truncate(&head, width), style));
    lines.extend(super::wrapped(
        open.outcome.explanation(),
        width,
        "",
        "",
        theme.text(),
    ));
    match &open.outcome {
        Outcome::Iam(outcome) => {
            for note in &outcome.notes {
                lines.extend(super::wrapped(note, width, "* ", "  ", theme.dim()));
            }
        }
        Outcome::Network(outcome) => {
            lines.push(Line::default());
            lines.push(Line::styled(strings::SIM_PATH, theme.heading()));
            if let ScenarioKind::Network(net) = &sc.kind {
                let flow = &net.flow;
                let dir = match net.direction {
                    crate::sim::network::Direction::Inbound => "クライアントからターゲットへ",
                    crate::sim::network::Direction::Outbound => "ターゲットから外へ",
                };
                let port = flow.dst_port.map_or("*".into(), |p| p.to_string());
                let ends = format!(
                    "{} → {} ({}/{port}, {dir})",
                    flow.src_ip, flow.dst_ip, flow.protocol
                );
                lines.extend(super::wrapped(&ends, width, "  ", "  ", theme.dim()));
            }
            // The packet's way: the start, the checks in order, the far end where the request
            // arrives, then the checks of the way back; it stops at the first that blocks.
            let (start, far) = match &sc.kind {
                ScenarioKind::Network(net)
                    if net.direction == crate::sim::network::Direction::Outbound =>
                {
                    (format!("ENI {}", net.target.eni), "宛先".to_string())
                }
                ScenarioKind::Network(net) => (
                    "クライアント".to_string(),
                    format!("ENI {}", net.target.eni),
                ),
                ScenarioKind::Iam(_) => (String::new(), String::new()),
            };
            let returning =
                |hop: Hop| matches!(hop, Hop::NaclEgressReturn | Hop::NaclIngressReturn);
            let mut chain = vec![Span::styled(start.clone(), theme.text())];
            let mut arrived = false;
            for hop in &outcome.trace {
                if returning(hop.hop) && !arrived {
                    chain.push(Span::raw(" → "));
                    chain.push(Span::styled(far.clone(), theme.text()));
                    arrived = true;
                }
                chain.push(Span::raw(" → "));
                let style = if hop.passed {
                    theme.correct()
                } else {
                    theme.wrong()
                };
                let mark = if hop.passed { "" } else { "✘" };
                chain.push(Span::styled(format!("{mark}{}", hop_label(hop.hop)), style));
                if !hop.passed {
                    break;
                }
            }
            if outcome.reachable {
                if !arrived {
                    chain.push(Span::raw(" → "));
                    chain.push(Span::styled(far, theme.text()));
                }
                chain.push(Span::raw(" → "));
                chain.push(Span::styled(start, theme.correct()));
            }
            lines.push(Line::from(chain));
            for hop in &outcome.trace {
                let (mark, style) = match (hop.reached, hop.passed) {
                    (false, _) => ("・", theme.dim()),
                    (true, true) => ("✔", theme.text()),
                    (true, false) => ("✘", theme.wrong()),
                };
                let rule = hop
                    .rule
                    .as_deref()
                    .map(|r| format!(" [{r}]"))
                    .unwrap_or_default();
                lines.extend(super::wrapped(
                    &format!("{} {}{rule}: {}", mark, hop_label(hop.hop), hop.reason),
                    width,
                    "  ",
                    "    ",
                    style,
                ));
            }
        }
    }
    lines.push(Line::default());

    // Knobs.
    let knob_focus = open.focus == Focus::Knobs;
    lines.push(section(strings::SIM_KNOBS, knob_focus, theme));
    for (i, knob) in open.original.knobs.iter().enumerate() {
        let value = open.knob_values[i]
            .and_then(|v| knob.values.get(v))
            .map_or_else(|| strings::SIM_AS_WRITTEN.to_string(), |v| v.label.clone());
        let pointer = if knob_focus && i == open.knob_cursor {
            ">"
        } else {
            " "
        };
        let row = format!("{pointer} {}. {}: {value}", i + 1, knob.label);
        let style = if knob_focus && i == open.knob_cursor {
            theme.cursor()
        } else {
            theme.text()
        };
        lines.extend(super::wrapped(&row, width, "", "     ", style));
    }
    lines.push(Line::default());

    // The request.
    if let ScenarioKind::Iam(iam) = &sc.kind {
        lines.push(Line::styled(strings::SIM_REQUEST, theme.heading()));
        let r = &iam.request;
        let who = r
            .principal
            .arn
            .clone()
            .or_else(|| r.principal.service.clone())
            .unwrap_or_default();
        for row in [
            format!("プリンシパル: {} {who}", r.principal.kind.label()),
            format!("アクション: {}", r.action),
            format!("リソース: {}", r.resource.arn),
        ] {
            lines.extend(super::wrapped(&row, width, "  ", "    ", theme.text()));
        }
        for entry in r.context.entries.iter().filter(|e| !e.derived) {
            lines.extend(super::wrapped(
                &format!("{} = {}", entry.key, entry.values.join(", ")),
                width,
                "  ",
                "    ",
                theme.dim(),
            ));
        }
        lines.push(Line::default());
    }

    // Statements with their reasons and JSON.
    if let Outcome::Iam(outcome) = &open.outcome
        && !open.statements.is_empty()
    {
        let st_focus = open.focus == Focus::Statements;
        lines.push(section(strings::SIM_STATEMENTS, st_focus, theme));
        for (i, shown) in open.statements.iter().enumerate() {
            let trace = outcome.trace.iter().find(|t| t.at == shown.at);
            let off = open.is_disabled(shown.at);
            let pointer = if st_focus && i == open.statement_cursor {
                ">"
            } else {
                " "
            };
            let sid = trace
                .and_then(|t| t.sid.clone())
                .map(|s| format!("『{s}』"))
                .unwrap_or_default();
            let matched = trace.map_or("", |t| if t.matched { "一致" } else { "不一致" });
            let state = if off {
                format!(" [{}]", strings::SIM_OFF)
            } else {
                String::new()
            };
            let head = format!(
                "{pointer} {}. {}{sid} {matched}{state}",
                i + 1,
                shown.at.policy.ptype.key()
            );
            let style = if st_focus && i == open.statement_cursor {
                theme.cursor()
            } else if off {
                theme.dim()
            } else if trace.is_some_and(|t| t.matched) {
                theme.selected()
            } else {
                theme.text()
            };
            lines.extend(super::wrapped(&head, width, "", "     ", style));
            if let Some(t) = trace {
                lines.extend(super::wrapped(
                    &t.reason,
                    width,
                    "     ",
                    "     ",
                    theme.dim(),
                ));
            }
            for json_line in shown.json.lines() {
                lines.push(Line::styled(
                    text::truncate(&format!("     {json_line}"), width),
                    theme.dim(),
                ));
            }
        }
    }
    super::render_lines(frame, body, lines, open.scroll);
}

/// A table result in words: the decision, or where the packet stops.
fn verdict_text(result: &Result<Verdict, String>) -> String {
    match result {
        Ok(Verdict::Iam(d)) => d.label().to_string(),
        Ok(Verdict::Network(None)) => "到達する".to_string(),
        Ok(Verdict::Network(Some(hop))) => format!("到達しない({})", hop_label(*hop)),
        Err(_) => strings::SIM_TABLE_INVALID.to_string(),
    }
}

/// Pads or cuts a cell to a display width.
fn cell(text: &str, width: usize) -> String {
    let cut = text::truncate(text, width);
    let pad = width.saturating_sub(text::width(&cut));
    format!("{cut}{}", " ".repeat(pad))
}

/// The decision table: one column per knob (its value labels) and the result, the row of the
/// current knob values highlighted; rows scroll to keep the cursor in view.
fn table(open: &Open, view: &TableView, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let sc = &open.current;
    let count = view.table.as_ref().map_or(0, |t| t.rows.len());
    let body = super::frame_screen(
        frame,
        area,
        &strings::SIM_TABLE.replace("{n}", &count.to_string()),
        &sc.id,
        theme,
    );
    if body.width == 0 || body.height == 0 {
        return;
    }
    let width = usize::from(body.width);
    let table = match &view.table {
        Ok(table) => table,
        Err(e) => {
            let lines = super::wrapped(&e.to_string(), width, "", "", theme.wrong());
            return super::render_lines(frame, body, lines, 0);
        }
    };
    let knobs = &open.original.knobs;
    // Each knob's column as wide as its longest label, then shared out if the screen is narrow.
    let result_width = table
        .rows
        .iter()
        .map(|r| text::width(&verdict_text(&r.result)))
        .chain([text::width(strings::SIM_TABLE_RESULT)])
        .max()
        .unwrap_or(0);
    let mut widths: Vec<usize> = knobs
        .iter()
        .map(|k| {
            k.values
                .iter()
                .map(|v| text::width(&v.label))
                .chain([text::width(&k.label)])
                .max()
                .unwrap_or(1)
        })
        .collect();
    let separators = 3 * knobs.len() + 2;
    let room = width.saturating_sub(result_width + separators);
    let fair = (room / knobs.len().max(1)).max(4);
    while widths.iter().sum::<usize>() > room && widths.iter().any(|w| *w > fair) {
        if let Some(w) = widths.iter_mut().max() {
            *w -= 1;
        }
    }
    let row_text = |cells: Vec<String>, result: String| {
        let mut line = String::from("  ");
        for (c, w) in cells.iter().zip(&widths) {
            line.push_str(&cell(c, *w));
            line.push_str(" | ");
        }
        line.push_str(&result);
        text::truncate(&line, width)
    };
    let mut lines = vec![Line::styled(
        row_text(
            knobs.iter().map(|k| k.label.clone()).collect(),
            strings::SIM_TABLE_RESULT.to_string(),
        ),
        theme.heading(),
    )];
    let visible = usize::from(body.height).saturating_sub(1).max(1);
    let first = view.cursor.saturating_sub(visible - 1);
    for (i, row) in table.rows.iter().enumerate().skip(first).take(visible) {
        let cells = row
            .values
            .iter()
            .enumerate()
            .map(|(k, v)| knobs[k].values[*v].label.clone())
            .collect();
        let mut line = row_text(cells, verdict_text(&row.result));
        let style = if i == view.cursor {
            line.replace_range(0..1, ">");
            theme.cursor()
        } else if matches!(
            row.result,
            Ok(Verdict::Iam(Decision::Allow)) | Ok(Verdict::Network(None))
        ) {
            theme.correct()
        } else {
            theme.wrong()
        };
        lines.push(Line::styled(line, style));
    }
    super::render_lines(frame, body, lines, 0);
}

//! 統計: a heatmap of the last six months, the 30-day forecast (a bar chart), true retention,
//! per-domain accuracy, leeches, and past mock exams' forecast beside their score.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph};

use super::strings;
use super::theme::Theme;
use crate::app::App;
use crate::text;

/// Weeks in the heatmap (about six months).
const WEEKS: i32 = 26;

fn heat(count: usize, theme: Theme) -> Span<'static> {
    let (glyph, color) = match count {
        0 => (".", Color::DarkGray),
        1..=4 => ("-", Color::Green),
        5..=14 => ("+", Color::LightGreen),
        15..=29 => ("*", Color::Yellow),
        _ => ("#", Color::LightYellow),
    };
    let style = if theme.color {
        ratatui::style::Style::new().fg(color)
    } else {
        theme.text()
    };
    Span::styled(glyph.to_string(), style)
}

/// The heatmap: one column a week, one row a weekday, oldest on the left.
fn heatmap(app: &App, stats: &crate::srs::stats::Stats, theme: Theme) -> Vec<Line<'static>> {
    let counts: HashMap<&str, usize> = stats
        .reviews_per_day
        .iter()
        .map(|d| (d.date.as_str(), d.count))
        .collect();
    let today = app.now.day(app.progress.settings().day_start);
    let weekday = i32::from(today.date().weekday().to_monday_zero_offset());
    let start = today.plus(-(WEEKS - 1) * 7 - weekday);
    let names = ["月", "火", "水", "木", "金", "土", "日"];
    (0..7)
        .map(|row| {
            let mut spans = vec![Span::styled(
                format!("{} ", names[row as usize]),
                theme.dim(),
            )];
            for week in 0..WEEKS {
                let day = start.plus(week * 7 + row);
                if day > today {
                    spans.push(Span::raw(" "));
                } else {
                    let date = day.date().to_string();
                    spans.push(heat(counts.get(date.as_str()).copied().unwrap_or(0), theme));
                }
            }
            Line::from(spans)
        })
        .collect()
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0))
}

/// Draws the stats screen.
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let stats = app.progress.stats(app.now);
    let right = format!("{} / 回答 {}", stats.today, stats.total_reviews);
    let body = super::frame_screen(frame, area, strings::STATS_TITLE, &right, theme);
    if body.width < 4 || body.height < 4 {
        return;
    }
    let width = usize::from(body.width);
    let chart_height = if body.height >= 20 { 8 } else { 0 };
    let [top, chart, bottom] = Layout::vertical([
        Constraint::Length(9.min(body.height)),
        Constraint::Length(chart_height),
        Constraint::Min(0),
    ])
    .areas(body);

    let mut head = vec![Line::styled(strings::STATS_HEATMAP, theme.heading())];
    head.extend(heatmap(app, &stats, theme));
    frame.render_widget(Paragraph::new(head), top);

    if chart_height > 0 {
        let bars: Vec<Bar<'_>> = stats
            .forecast
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let label = if i % 5 == 0 {
                    d.date.get(8..10).unwrap_or("").to_string()
                } else {
                    String::new()
                };
                Bar::default()
                    .value(d.count as u64)
                    .label(Line::from(label))
                    .text_value(String::new())
            })
            .collect();
        let widget = BarChart::default()
            .block(Block::default().title(strings::STATS_FORECAST))
            .data(BarGroup::default().bars(&bars))
            .bar_width(2)
            .bar_gap(0)
            .bar_style(if theme.color {
                ratatui::style::Style::new().fg(Color::Cyan)
            } else {
                theme.text()
            });
        frame.render_widget(widget, chart);
    }

    let mut lines = vec![
        Line::styled(
            format!(
                "{}: 全体 {} ({}/{})  直近30日 {}",
                strings::STATS_RETENTION,
                percent(stats.true_retention.rate),
                stats.true_retention.passed,
                stats.true_retention.total,
                percent(stats.true_retention_30d.rate)
            ),
            theme.text(),
        ),
        Line::styled(
            format!(
                "期日: {}  学習済み: {}",
                stats.due_today, stats.items_studied
            ),
            theme.text(),
        ),
        Line::default(),
        Line::styled(strings::STATS_DOMAINS, theme.heading()),
    ];
    let widest = stats
        .domains
        .iter()
        .map(|d| text::width(d.name.as_deref().unwrap_or(&d.domain)));
    let name_width = super::name_column(widest.max().unwrap_or(0), width, 16);
    let bar_width = width.saturating_sub(name_width + 16).clamp(4, 30);
    for d in &stats.domains {
        let name = text::truncate(d.name.as_deref().unwrap_or(&d.domain), name_width);
        let pad = " ".repeat(name_width.saturating_sub(text::width(&name)));
        lines.push(Line::from(vec![
            Span::raw(format!("{name}{pad} ")),
            Span::styled(
                super::bar(d.accuracy.unwrap_or(0.0), bar_width),
                theme.correct(),
            ),
            Span::styled(
                format!(" {} ({}/{})", percent(d.accuracy), d.correct, d.reviews),
                theme.dim(),
            ),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::styled(strings::STATS_LEECHES, theme.heading()));
    if stats.leeches.is_empty() {
        lines.push(Line::styled(format!("  {}", strings::NONE), theme.dim()));
    }
    for id in &stats.leeches {
        lines.push(Line::styled(format!("  {id}"), theme.wrong()));
    }
    lines.push(Line::default());
    lines.extend(calibration(app, theme));
    super::render_lines(frame, bottom, lines, app.scroll);
}

/// Past mock exams: the forecast stored when each started, beside the score it got.
fn calibration(app: &App, theme: Theme) -> Vec<Line<'static>> {
    use crate::app::exam::{AttemptStatus, status, stored_forecast};
    let mut lines = vec![Line::styled(strings::STATS_CALIBRATION, theme.heading())];
    let rows: Vec<_> = app
        .progress
        .attempts
        .iter()
        .filter_map(|a| match (status(a), stored_forecast(a)) {
            (AttemptStatus::Scored(score), Some(f)) => Some((a, score, f)),
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        lines.push(Line::styled(format!("  {}", strings::NONE), theme.dim()));
        return lines;
    }
    let inside = rows
        .iter()
        .filter(|(_, score, f)| (f.low..=f.high).contains(score))
        .count();
    for (attempt, score, f) in &rows {
        let date = attempt
            .started
            .to_rfc3339()
            .chars()
            .take(10)
            .collect::<String>();
        let hit = (f.low..=f.high).contains(score);
        let line = strings::STATS_CALIBRATION_ROW
            .replace("{date}", &date)
            .replace("{predicted}", &f.predicted.to_string())
            .replace("{low}", &f.low.to_string())
            .replace("{high}", &f.high.to_string())
            .replace("{score}", &score.to_string())
            .replace(
                "{mark}",
                if hit {
                    strings::STATS_INSIDE
                } else {
                    strings::STATS_OUTSIDE
                },
            );
        lines.push(Line::styled(
            line,
            if hit { theme.text() } else { theme.wrong() },
        ));
    }
    lines.push(Line::styled(
        strings::STATS_CALIBRATION_SUMMARY
            .replace("{inside}", &inside.to_string())
            .replace("{total}", &rows.len().to_string()),
        theme.dim(),
    ));
    lines
}

//! Colours that read on dark and light backgrounds alike, or none at all.

use ratatui::style::{Color, Modifier, Style};

/// Only the eight basic ANSI colours (the terminal's own palette adapts them
/// to its background) plus modifiers; `NO_COLOR` keeps the modifiers only.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    color: bool,
}

/// Whether colours are wanted: not when `NO_COLOR` is set (no-color.org).
pub fn wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

impl Theme {
    pub fn new(color: bool) -> Self {
        Theme { color }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn header(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }
    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn busy(&self) -> Style {
        self.fg(Color::Cyan)
    }
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn key(&self) -> Style {
        self.fg(Color::Blue).add_modifier(Modifier::BOLD)
    }
}

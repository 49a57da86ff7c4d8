//! `unclosed-fence`: a code fence never closed turns the rest of the page (or of the list
//! item or quote it is in) into code, which hides every section after it.

use super::{Code, PageLint};

impl PageLint<'_> {
    /// Every fence without its closing fence, even in a block lint does not otherwise read.
    pub(super) fn fences(&mut self) {
        for block in &self.page.code_blocks {
            if let Some(lines) = block.unclosed {
                self.find(
                    block.span,
                    Code::UnclosedFence,
                    format!("this code fence is never closed: the {lines} lines after it are code, not the page"),
                );
            }
        }
    }
}

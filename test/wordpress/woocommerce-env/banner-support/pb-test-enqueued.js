(window.__ran = window.__ran || []).push('statistics-enqueued');

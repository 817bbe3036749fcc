(window.__ran = window.__ran || []).push('marketing-enqueued');

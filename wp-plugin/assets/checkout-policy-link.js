/* Privacy Bridge: a link to the privacy policy beside the block checkout's acceptance box. */
( function () {
	var data = window.privacyBridgePolicy;
	if ( ! data ) {
		return;
	}
	function place() {
		var box = document.querySelector( 'input[type="checkbox"][id*="privacy-bridge"][id*="accept-policy"]' );
		if ( ! box || document.querySelector( '.privacy-bridge-policy-link' ) ) {
			return;
		}
		var wrap = box.closest( '.wc-block-components-checkbox' ) || box.parentNode;
		var p = document.createElement( 'p' );
		var a = document.createElement( 'a' );
		p.className = 'privacy-bridge-policy-link';
		a.href = data.url;
		a.target = '_blank';
		a.rel = 'noopener';
		a.textContent = data.text;
		p.appendChild( a );
		wrap.parentNode.insertBefore( p, wrap.nextSibling );
	}
	new MutationObserver( place ).observe( document.documentElement, { childList: true, subtree: true } );
	place();
}() );

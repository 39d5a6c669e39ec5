"""The offline web app: the service worker, the manifest, the console and the domain in the browser."""

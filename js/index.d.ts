// Type declarations of the headless client; filled in by the browser layer.
export {};

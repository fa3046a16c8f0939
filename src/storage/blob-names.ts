/** The blob layout of ARCHITECTURE.md, in one place. */
export function blobNames(requestId: string) {
  return {
    video: (variant: number) => `${requestId}/${variant}.mp4`,
    thumbnail: (variant: number) => `${requestId}/${variant}.jpg`,
    manifest: `${requestId}/manifest.json`,
  };
}

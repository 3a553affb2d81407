namespace Generative; internal static class Placeholder {}

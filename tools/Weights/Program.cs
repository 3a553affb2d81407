// Re-creates pretrained weights: trains each named recipe (WeightRecipes and VaeRecipe on the binarized Fashion-MNIST, ClassifierRecipe,
// GanRecipes and TranslationRecipes on the grayscale images; the GANs, CycleGAN and Progressive GAN are measured with the
// classifier in the output folder) and saves it
// with Pretrained.Save, which writes <name>.safetensors and its entry in weights.json (both atomically). Usage (from
// the repository root):
//   dotnet run -c Release --project tools/Weights -- pixelcnn rowlstm vae classifier dcgan cgan infogan cyclegan stargan progan puzzlegan
//                                                                          # the shipped weights, into weights/
//   dotnet run -c Release --project tools/Weights -- --list                  # the recipes
// Options: --out <folder> (default: the repository's weights/), --epochs name=K,... (default: the recipe's),
// --batch K (default: 100, lesson 11's GANs 128, lesson 12's models 32), --source auto|system|download|embedded (default auto: the full 60,000 training images; embedded trains
// on the 10,000 shipped ones, for a quick check). Training is seeded, so the same command on the same instruction set
// writes the same bytes. Exit codes: 0 done, 1 the data could not be read, 2 bad input (nothing trained or written).
using System.Globalization;
using Generative.Data;
using Generative.Evaluation;
using Generative.Models;
using Generative.NN;
using Generative.Tensors;
using Generative.Weights;

if (args.Contains("--list"))
{
    if (args.Length > 1)
    {
        Console.Error.WriteLine("--list takes no other arguments");
        Console.Error.WriteLine(WeightsRequest.Usage);
        return 2;
    }
    PrintRecipes();
    return 0;
}
if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(WeightsRequest.Usage);
    return 0;
}

var (request, error) = WeightsRequest.Parse(args);
if (request is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(WeightsRequest.Usage);
    return 2;
}
// Every check on the output folder happens now, not after an hour of training.
var (outDirectory, folderError) = PrepareOutDirectory(request.OutDirectory);
if (outDirectory is null)
{
    Console.Error.WriteLine(folderError);
    return 2;
}

// The GANs are measured with the classifier in the output folder: refuse now, not after an hour of training, when it is
// neither there nor trained earlier in this run.
var order = request.Models.ToList();
if (order.FirstOrDefault(n => GanRecipes.Names.Contains(n) || TranslationRecipes.MeasuredWithClassifier.Contains(n)) is { } firstGan
    && !(order.Contains(ClassifierRecipe.Name) && order.IndexOf(ClassifierRecipe.Name) < order.IndexOf(firstGan))
    && !(File.Exists(Path.Combine(outDirectory, Pretrained.CatalogFileName)) && Pretrained.Catalog(outDirectory).Any(e => e.Name == ClassifierRecipe.Name)))
{
    Console.Error.WriteLine($"{firstGan}: the GANs are measured with the classifier, and {outDirectory} has none; train it in the same run " +
        $"(name '{ClassifierRecipe.Name}' before the GANs) or copy weights/{ClassifierRecipe.Name}.safetensors and its catalogue entry there");
    return 2;
}

Tensor trainImages, testImages, embeddedTestImages;
ImageDataset train, test, embeddedTest;
try
{
    train = FashionMnist.Load(DatasetSplit.Train, request.Source);
    test = FashionMnist.Load(DatasetSplit.Test, request.Source);
    Console.Error.WriteLine($"data: {train.Count} training and {test.Count} test images");
    // The autoregressive models see binarized images (a pixel is 1 from half the maximum), the classifier grayscale.
    (trainImages, testImages) = (train.Binarize().ToTensor(scale: 1), test.Binarize().ToTensor(scale: 1));
    // The catalogue also states the result on the shipped test subset: the one number a lesson can check.
    embeddedTest = FashionMnist.LoadEmbedded(DatasetSplit.Test);
    embeddedTestImages = embeddedTest.Binarize().ToTensor(scale: 1);
}
catch (Exception e) when (e is IOException or InvalidDataException or HttpRequestException)
{
    Console.Error.WriteLine($"cannot read Fashion-MNIST (--source {request.Source.ToString().ToLowerInvariant()}): {e.Message}");
    return 1;
}

int[] Labels(ImageDataset images) => images.Labels.Select(l => (int)l).ToArray();
// The FID's reference: the statistics of the classifier's features of real images.
static FeatureStatistics ReferenceOf(FashionClassifier yardstick, ImageDataset images)
{
    using (Tensor.NoGrad())
    {
        return Fid.Statistics(yardstick.Features(images.ToTensor()));
    }
}

foreach (var name in request.Models)
{
    var (epochs, batchSize) = (request.EpochsOf(name), request.BatchSizeOf(name));
    if (name == ClassifierRecipe.Name)
    {
        var classifier = ClassifierRecipe.Train(epochs, batchSize, train.ToTensor(), Labels(train), test.ToTensor(), Labels(test));
        var (embedded, embeddedLabels) = (embeddedTest.ToTensor(), Labels(embeddedTest));
        var savedClassifier = Pretrained.Save(classifier.Model, outDirectory, new PretrainedWeights(name, $"{name}.safetensors", Sha256: "",
            ClassifierRecipe.Description, epochs, batchSize, ClassifierRecipe.LearningRate, classifier.TestNll,
            ClassifierRecipe.MeanNll(classifier.Model, embedded, embeddedLabels), request.CommandFor(name),
            Math.Min(ClassifierRecipe.DecayEpochs, epochs), classifier.TestAccuracy, classifier.Model.Accuracy(embedded, embeddedLabels)));
        Console.WriteLine(FormattableString.Invariant(
            $"saved {Path.Combine(outDirectory, savedClassifier.File)}: SHA-256 {savedClassifier.Sha256}, test accuracy {savedClassifier.TestAccuracy:P2}, embedded test accuracy {savedClassifier.EmbeddedTestAccuracy:P2}"));
        continue;
    }
    if (name == VaeRecipe.Name)
    {
        var vae = VaeRecipe.Train(epochs, batchSize, trainImages, testImages);
        var savedVae = Pretrained.Save(vae.Model, outDirectory, new PretrainedWeights(name, $"{name}.safetensors", Sha256: "",
            VaeRecipe.Description, epochs, batchSize, VaeRecipe.LearningRate, vae.TestNll, VaeRecipe.MeanNll(vae.Model, embeddedTestImages),
            request.CommandFor(name)));
        Console.WriteLine(FormattableString.Invariant(
            $"saved {Path.Combine(outDirectory, savedVae.File)}: SHA-256 {savedVae.Sha256}, test NLL {savedVae.TestNll:F2}, embedded test NLL {savedVae.EmbeddedTestNll:F4}"));
        continue;
    }
    if (GanRecipes.Names.Contains(name))
    {
        // The yardstick is the classifier beside the weights being written (trained first when both are asked for).
        var yardstick = new FashionClassifier();
        Pretrained.Load(yardstick, ClassifierRecipe.Name, outDirectory);
        var gan = GanRecipes.Create(name);
        GanRecipes.Train(gan, train.ToTensor() * 2f - 1f, Labels(train), epochs, batchSize);
        var full = GanRecipes.Measure(gan, yardstick, ReferenceOf(yardstick, test), test.Count);
        var embedded = GanRecipes.Measure(gan, yardstick, ReferenceOf(yardstick, embeddedTest), embeddedTest.Count);
        var savedGan = Pretrained.Save(gan, outDirectory, new PretrainedWeights(name, $"{name}.safetensors", Sha256: "",
            GanRecipes.Description(name), epochs, batchSize, GanRecipes.LearningRate, TestNll: null, EmbeddedTestNll: null,
            request.CommandFor(name), SampleFid: full.Fid, EmbeddedSampleFid: embedded.Fid,
            RequestedClassAccuracy: full.RequestedClassAccuracy, CodeClassAgreement: full.CodeClassAgreement));
        Console.WriteLine(FormattableString.Invariant(
            $"saved {Path.Combine(outDirectory, savedGan.File)}: SHA-256 {savedGan.Sha256}, FID {full.Fid:F2} ({test.Count} samples), {embedded.Fid:F2} ({embeddedTest.Count} samples against the embedded test images){(full.RequestedClassAccuracy is { } a ? $", requested class recognised {a:P2}" : "")}{(full.CodeClassAgreement is { } c ? $", code-class agreement {c:P2}" : "")}"));
        continue;
    }
    if (TranslationRecipes.Names.Contains(name))
    {
        var model = TranslationRecipes.Create(name);
        TranslationRecipes.Train(model, train, epochs, batchSize);
        double? fid = null, embeddedFid = null, translated = null;
        if (TranslationRecipes.MeasuredWithClassifier.Contains(name))
        {
            var yardstick = new FashionClassifier();
            Pretrained.Load(yardstick, ClassifierRecipe.Name, outDirectory);
            if (model is ProgressiveGan progressive)
            {
                fid = GanRecipes.Measure(progressive, yardstick, ReferenceOf(yardstick, test), test.Count).Fid;
                embeddedFid = GanRecipes.Measure(progressive, yardstick, ReferenceOf(yardstick, embeddedTest), embeddedTest.Count).Fid;
            }
            else if (model is CycleGan cycle)
            {
                translated = TranslationRecipes.TranslatedClassAccuracy(cycle, yardstick, test);
            }
        }
        var savedModel = Pretrained.Save(model, outDirectory, new PretrainedWeights(name, $"{name}.safetensors", Sha256: "",
            TranslationRecipes.Description(name), epochs, batchSize, GanRecipes.LearningRate, TestNll: null, EmbeddedTestNll: null,
            request.CommandFor(name), SampleFid: fid, EmbeddedSampleFid: embeddedFid, RequestedClassAccuracy: translated));
        Console.WriteLine(FormattableString.Invariant(
            $"saved {Path.Combine(outDirectory, savedModel.File)}: SHA-256 {savedModel.Sha256}{(fid is { } f ? $", FID {f:F2} ({test.Count} samples), {embeddedFid:F2} (embedded)" : "")}{(translated is { } t ? $", translations recognised as the other class {t:P2}" : "")}"));
        continue;
    }
    var recipe = WeightRecipes.All[name];
    var trained = WeightRecipes.Train(recipe, epochs, batchSize, trainImages, testImages);
    var saved = Pretrained.Save(trained.Model, outDirectory, new PretrainedWeights(name, $"{name}.safetensors", Sha256: "",
        recipe.Description, epochs, batchSize, recipe.LearningRate, trained.TestNll,
        Likelihood.MeanNll(trained.Model, embeddedTestImages), request.CommandFor(name), recipe.DecayedOf(epochs)));
    Console.WriteLine(FormattableString.Invariant(
        $"saved {Path.Combine(outDirectory, saved.File)}: SHA-256 {saved.Sha256}, test NLL {saved.TestNll:F2}, embedded test NLL {saved.EmbeddedTestNll:F4}"));
}
return 0;

// Creates the folder, checks that a file can be written in it and that a catalogue already there can be read (Save
// adds to it); returns the full path, or an error naming the folder.
static (string? Directory, string? Error) PrepareOutDirectory(string? requested)
{
    string directory;
    try
    {
        directory = requested ?? Pretrained.DefaultDirectory;
    }
    catch (DirectoryNotFoundException e)
    {
        return (null, $"no --out given and the repository's weights folder cannot be found ({e.Message}); pass --out <folder>");
    }
    try
    {
        Directory.CreateDirectory(directory);
        var probe = Path.Combine(directory, $".weights-write-check-{Environment.ProcessId}");
        using (File.Create(probe, bufferSize: 1, FileOptions.DeleteOnClose))
        {
        }
        if (File.Exists(Path.Combine(directory, Pretrained.CatalogFileName)))
        {
            Pretrained.Catalog(directory);
        }
        return (Path.GetFullPath(directory), null);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or NotSupportedException)
    {
        return (null, $"--out: cannot write to the folder '{directory}': {e.Message}");
    }
}

static void PrintRecipes()
{
    Console.WriteLine("recipes (Fashion-MNIST, Adam, seeded; the last epochs of a decay at a tenth of the rate):");
    foreach (var recipe in WeightRecipes.All.Values)
    {
        var budget = string.Create(CultureInfo.InvariantCulture, $"{recipe.Epochs} epochs, Adam {recipe.LearningRates(recipe.Epochs)}");
        Console.WriteLine($"  {recipe.Name,-10} {budget,-36} {recipe.Description} (binarized)");
    }
    Console.WriteLine($"  {VaeRecipe.Name,-10} {string.Create(CultureInfo.InvariantCulture, $"{VaeRecipe.Epochs} epochs, Adam {VaeRecipe.LearningRate:0e0}"),-36} {VaeRecipe.Description} (binarized)");
    var classifierBudget = string.Create(CultureInfo.InvariantCulture,
        $"{ClassifierRecipe.Epochs} epochs, Adam {ClassifierRecipe.LearningRate:0e0}, last {ClassifierRecipe.DecayEpochs} at {ClassifierRecipe.LearningRate / 10:0e0}");
    Console.WriteLine($"  {ClassifierRecipe.Name,-10} {classifierBudget,-36} {ClassifierRecipe.Description} (grayscale)");
    foreach (var name in GanRecipes.Names)
    {
        var ganBudget = string.Create(CultureInfo.InvariantCulture, $"{GanRecipes.Epochs} epochs, Adam {GanRecipes.LearningRate:0e0} (β₁ {GanRecipes.Beta1})");
        Console.WriteLine($"  {name,-10} {ganBudget,-36} {GanRecipes.Description(name)} (grayscale; measured with the classifier)");
    }
    foreach (var name in TranslationRecipes.Names)
    {
        var budget = string.Create(CultureInfo.InvariantCulture, $"{TranslationRecipes.Epochs(name)} epochs, Adam {GanRecipes.LearningRate:0e0} (β₁ {GanRecipes.Beta1})");
        var measured = TranslationRecipes.MeasuredWithClassifier.Contains(name) ? "; measured with the classifier" : "";
        Console.WriteLine($"  {name,-10} {budget,-36} {TranslationRecipes.Description(name)} (grayscale{measured})");
    }
}

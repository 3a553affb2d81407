Console.WriteLine("datasets");
